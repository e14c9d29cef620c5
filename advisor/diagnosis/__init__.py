"""Rule-backed diagnosis: place a manager's situation in the frameworks and show why."""

from advisor.diagnosis.diagnoser import Diagnoser, DiagnosisInputError
from advisor.diagnosis.questionnaire import QuestionnaireAnswers, QuestionnaireError

__all__ = ["Diagnoser", "DiagnosisInputError", "QuestionnaireAnswers", "QuestionnaireError"]
