"""The check-in commands and forms, and what handles each."""

from __future__ import annotations

from dialogs.checkins import answers, schedules
from dialogs.commands.syntax import CommandHandler
from dialogs.core.actions import FormKind
from dialogs.core.turn import FormRoute

COMMANDS: dict[str, CommandHandler] = {
    "checkin.add": schedules.add,
    "checkin.list": schedules.list_schedules,
    "checkin.stop": schedules.stop,
    "checkin.now": schedules.run_now,
    "checkin.skip": schedules.skip,
}

FORMS: dict[FormKind, FormRoute] = {
    FormKind.CHECKIN: (schedules.open_questions_form, schedules.save_questions),
    FormKind.CHECKIN_ANSWER: (answers.open_answer_form, answers.submit_answers),
}
