"""Plain names of the conditions triage considers (digest section 9.2)."""

NAMES = {
    "patellofemoral-pain": "Runner's knee (patellofemoral pain)",
    "iliotibial-band-syndrome": "Iliotibial band syndrome",
    "patellar-tendinopathy": "Patellar tendinopathy",
    "osgood-schlatter": "Osgood–Schlatter disease",
    "sinding-larsen-johansson": "Sinding-Larsen–Johansson syndrome",
    "meniscal-tear": "Meniscus tear",
    "ligament-injury": "Ligament injury",
    "ligament-or-bone-injury": "Ligament tear or fracture (bleeding into the joint)",
    "knee-osteoarthritis": "Knee osteoarthritis",
    "inflammatory-arthritis": "Inflammatory arthritis",
    "patellar-instability": "Kneecap instability",
    "patellar-dislocation": "Kneecap dislocation",
    "pes-anserine-bursitis": "Pes anserine bursitis",
    "posterior-knee-problem": "A problem at the back of the knee (for example a Baker's cyst)",
    "referred-hip-pain": "Pain referred from the hip or back",
    "slipped-upper-femoral-epiphysis": (
        "Slipped upper femoral epiphysis (a growth-plate problem of the hip)"
    ),
    "septic-arthritis": "Joint infection (septic arthritis)",
    "infection-or-illness": "An infection, in the knee or elsewhere, or another illness",
    "joint-inflammation": "Inflammation in the joint",
    "joint-effusion": "Fluid in the knee joint",
    "fracture": "Fracture",
    "fracture-or-dislocation": "Fracture or dislocation",
    "neurovascular-injury": "Damage to the nerves or blood supply of the leg",
    "pulmonary-embolism": "Blood clot in the lung",
    "chest-emergency": "A problem of the heart or lungs",
    "deep-vein-thrombosis": "Blood clot in the leg (deep vein thrombosis)",
    "extensor-mechanism-rupture": "Tear of the quadriceps or patellar tendon",
    "serious-disease": "A condition that needs medical tests",
    "bone-or-cartilage-bruise": "Bone or cartilage bruise",
    "adolescent-knee-pain": "Knee pain in a growing child",
    "needs-assessment": "Needs a clinician's assessment",
}


def name_of(condition: str) -> str:
    return NAMES.get(condition, condition.replace("-", " ").capitalize())
