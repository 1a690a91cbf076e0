"""The intake room's pages: the knee check asked as a wizard, its result, and the red-flag
instruction (the use cases of ``services.intake.wizard``).

``GET /start`` shows the first step, or the red-flag instruction while one stands.
``POST /start/step`` checks one step and answers with the next (or the same again with its
problems, 400); the answers of the other steps travel in hidden fields, so the wizard needs
neither JavaScript nor state on the server. A red flag on the warning-sign steps stops it at
once; the last step starts the programme. Both then redirect to ``GET /start/result``.
``GET /start/new`` begins a new assessment whatever stands.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from runrehab.services.intake import wizard
from runrehab.services.intake.wizard import Instruction, WizardPage
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.documents import read_assessment
from runrehab.web.rendering import form_lists, render

router = APIRouter(dependencies=[Csrf])

RESULT = "/start/result"


@router.get("/start", include_in_schema=False)
def start_page(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    page = wizard.open_intake(
        app_parts.reader(), app_parts.content, runner.person_id, runner.account.timezone
    )
    return _shown(request, page)


@router.get("/start/new", include_in_schema=False)
def new_assessment(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    return _shown(request, wizard.new_intake(app_parts.reader(), runner.person_id))


@router.post("/start/step", include_in_schema=False)
async def step_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_lists(request)
    answer = wizard.answer_step(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content,
        read_assessment,
        form,
        runner.person_id,
        runner.today,
    )
    if isinstance(answer, WizardPage):
        return _shown(request, answer)
    return RedirectResponse(RESULT, status_code=303)


@router.get(RESULT, include_in_schema=False)
def result_page(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    found = wizard.intake_result(
        app_parts.reader(),
        app_parts.content,
        runner.person_id,
        runner.today,
        runner.account.timezone,
    )
    if found is None:
        return RedirectResponse("/start", status_code=303)
    if isinstance(found, Instruction):
        return _shown(request, found)
    return render(request, "onboarding/result.html", {"view": found}, active="today")


def _shown(request: Request, page: Instruction | WizardPage) -> Response:
    if isinstance(page, Instruction):
        # a red flag: one instruction, full screen, no navigation
        return render(request, "onboarding/stop.html", {"view": page}, active=None)
    status = 400 if page.problems else 200
    return render(request, "onboarding/wizard.html", {"view": page}, status, active="today")
