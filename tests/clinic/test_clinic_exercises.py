"""The clinic's own exercises (item 8b): cards checked as a built-in card is, a picture or a
short video known by its first bytes and served by RunRehab itself, seen only by the clinic's
clinicians and patients, and prescribed like any exercise (it shows on the runner's Today)."""

from __future__ import annotations

from typing import Any

from tests.clinic.conftest import Actor, Clinic
from tests.clinic.others import other_clinic

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64
CARD: dict[str, Any] = {
    "name": "Step-down to a mirror",
    "purpose": "Control the knee over the foot on the way down.",
    "how": ["Stand on a step, side on to a mirror.", "Lower the other heel to the floor."],
    "cues": ["Knee over the second toe", "Slow on the way down"],
    "sets": "3",
    "reps": "10",
}


def add(who: Actor, card: dict[str, Any] | None = None, media: Any = None) -> Any:
    files = {"media": media} if media is not None else None
    return who.call("POST", "/api/v1/clinic/exercises", data=card or CARD, files=files)


def made(clinic: Clinic, media: Any = None, **changes: Any) -> dict[str, Any]:
    answer = add(clinic.admin, {**CARD, **changes}, media)
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_a_clinician_adds_an_exercise_with_a_picture_served_by_runrehab(clinic: Clinic) -> None:
    carl = clinic.new_clinician("carl@clinic.test")
    answer = add(carl, media=("step-down.png", PNG, "image/png"))
    assert answer.status_code == 201, answer.text
    exercise = answer.json()
    assert exercise["id"].startswith("clinic-")
    assert exercise["name"] == "Step-down to a mirror"
    assert exercise["how"] == CARD["how"] and exercise["cues"] == CARD["cues"]
    assert (exercise["sets"], exercise["reps"], exercise["hold_seconds"]) == (3, 10, None)
    assert exercise["media_type"] == "image/png"
    media = clinic.admin.call("GET", exercise["media"])
    assert media.status_code == 200
    assert media.content == PNG
    assert media.headers["content-type"] == "image/png"
    assert media.headers["x-content-type-options"] == "nosniff"
    one = clinic.admin.call("GET", f"/api/v1/clinic/exercises/{exercise['id']}")
    assert one.status_code == 200 and one.json() == exercise
    listed = clinic.admin.call("GET", "/api/v1/clinic/exercises").json()
    assert listed["clinic"] == "Knee Clinic"
    assert [e["id"] for e in listed["exercises"]] == [exercise["id"]]


def test_the_type_is_what_the_first_bytes_say(clinic: Clinic) -> None:
    for name, data, declared, kind in (
        ("photo.png", JPEG, "image/png", "image/jpeg"),  # a JPEG named .png is a JPEG
        ("clip.webm", WEBM, "video/webm", "video/webm"),
        ("clip.mp4", MP4, "application/octet-stream", "video/mp4"),
    ):
        exercise = made(clinic, (name, data, declared))
        assert exercise["media_type"] == kind
        served = clinic.admin.call("GET", exercise["media"])
        assert served.headers["content-type"] == kind and served.content == data
    plain = made(clinic, hold_seconds="30", reps="")
    assert plain["media"] is None and plain["hold_seconds"] == 30 and plain["reps"] is None
    assert clinic.admin.call(
        "GET", f"/api/v1/clinic/exercises/{plain['id']}/media"
    ).status_code == (404)


def test_a_fake_or_too_large_file_is_refused_with_a_clear_message(clinic: Clinic) -> None:
    fake = add(clinic.admin, media=("knee.png", b"GIF89a" + b"\x00" * 64, "image/png"))
    assert fake.status_code == 400
    assert fake.json()["errors"][0]["field"] == "media"
    assert "not a PNG, JPEG or WebP picture" in fake.json()["detail"]
    text = add(clinic.admin, media=("knee.png", b"<svg onload=alert(1)>", "image/png"))
    assert text.status_code == 400 and text.json()["errors"][0]["field"] == "media"
    big = PNG + b"\x00" * (3 * 1024 * 1024)
    too_large = add(clinic.admin, media=("big.png", big, "image/png"))
    assert too_large.status_code == 400
    assert too_large.json()["errors"][0]["field"] == "media"
    assert "3 MB" in too_large.json()["detail"] and "at most 2 MB" in too_large.json()["detail"]
    assert clinic.admin.call("GET", "/api/v1/clinic/exercises").json()["exercises"] == []


def test_a_card_is_checked_as_a_built_in_one(clinic: Clinic) -> None:
    for changes, field in (
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"purpose": " "}, "purpose"),
        ({"how": ["Only one step"]}, "how"),
        ({"cues": []}, "cues"),
        ({"sets": "0"}, "sets"),
        ({"sets": "three"}, "sets"),
        ({"sets": ""}, "sets"),
        ({"reps": "101"}, "reps"),
        ({"hold_seconds": "30"}, "reps"),  # reps and a hold: one or the other
        ({"reps": ""}, "reps"),  # neither
        ({"name": "Step\x07down"}, "name"),
    ):
        answer = add(clinic.admin, {**CARD, **changes})
        assert answer.status_code == 400, (changes, answer.text)
        assert answer.json()["errors"][0]["field"] == field, changes
        assert answer.json()["detail"]
    # the steps may come as one text, a line a step
    lines = made(clinic, how="Stand on a step.\n\nLower the other heel.\n")
    assert lines["how"] == ["Stand on a step.", "Lower the other heel."]
    assert len(clinic.admin.call("GET", "/api/v1/clinic/exercises").json()["exercises"]) == 1


def test_only_the_clinics_people_see_its_exercises(clinic: Clinic) -> None:
    exercise = made(clinic, ("step-down.png", PNG, "image/png"))
    patient = clinic.new_runner("rita@example.com")
    stranger = clinic.new_runner("sam@example.com", join=False)
    olga = other_clinic(clinic)
    one = f"/api/v1/clinic/exercises/{exercise['id']}"
    assert (
        patient.call("GET", "/api/v1/clinic/exercises").json()["exercises"][0]["id"]
        == (exercise["id"])
    )
    assert patient.call("GET", one).status_code == 200
    assert patient.call("GET", one + "/media").content == PNG
    for who in (olga, stranger):
        assert who.call("GET", one).status_code == 404
        assert who.call("GET", one + "/media").status_code == 404
    assert olga.call("GET", "/api/v1/clinic/exercises").json()["exercises"] == []
    assert stranger.call("GET", "/api/v1/clinic/exercises").status_code == 404
    # a runner adds nothing to the library
    assert add(patient).status_code == 404
    assert add(stranger).status_code == 404
    # a built-in id is not a clinic exercise
    assert patient.call("GET", "/api/v1/clinic/exercises/quad-set").status_code == 404


def test_a_prescribed_clinic_exercise_shows_on_the_runners_today(clinic: Clinic) -> None:
    exercise = made(clinic)
    runner = clinic.new_runner("rita@example.com")
    before = runner.call("GET", "/api/v1/today").json()
    assert exercise["id"] not in {e["id"] for e in before["session"]["exercises"]}
    assert before["session"]["exercises"]  # the typical runner's first day is a training day
    prescribed = clinic.admin.call(
        "POST",
        f"/api/v1/clinic/patients/{runner.person_id}/overrides",
        json={
            "kind": "add_exercise",
            "exercise": exercise["id"],
            "reason": "Step-downs for control, as we practised",
            "sets": 3,
            "reps": 10,
        },
    )
    assert prescribed.status_code == 201, prescribed.text
    today = runner.call("GET", "/api/v1/today")
    assert today.status_code == 200, today.text
    found = [e for e in today.json()["session"]["exercises"] if e["id"] == exercise["id"]]
    assert found, today.json()["session"]["exercises"]
    assert found[0]["name"] == "Step-down to a mirror"
    page = runner.call("GET", "/today", headers={"accept": "text/html"})
    assert "Step-down to a mirror" in page.text
    # another clinic cannot prescribe it
    olga = other_clinic(clinic)
    assert (
        olga.call(
            "POST",
            f"/api/v1/clinic/patients/{runner.person_id}/overrides",
            json={"kind": "add_exercise", "exercise": exercise["id"], "reason": "x"},
        ).status_code
        == 404
    )


def test_an_oversized_video_or_a_broken_form_is_refused(clinic: Clinic) -> None:
    big = WEBM + b"\x00" * (20 * 1024 * 1024)
    video = add(clinic.admin, media=("clip.webm", big, "video/webm"))
    assert video.status_code == 400 and "at most 20 MB" in video.json()["detail"]
    huge = clinic.admin.call(
        "POST",
        "/api/v1/clinic/exercises",
        content=b"x" * (22 * 1024 * 1024),
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert huge.status_code == 413 and "at most 20 MB" in huge.json()["detail"]
    broken = clinic.admin.call(
        "POST",
        "/api/v1/clinic/exercises",
        content=b"--b\r\nContent-Disposition: form-data\r\n\r\nx",
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert broken.status_code == 400, broken.text
    as_json = clinic.admin.call("POST", "/api/v1/clinic/exercises", json=CARD)
    assert as_json.status_code == 400, as_json.text
    assert "multipart/form-data" in as_json.json()["detail"]
    assert clinic.admin.call("GET", "/api/v1/clinic/exercises").json()["exercises"] == []
