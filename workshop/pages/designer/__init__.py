"""The questionnaire designer: facilitators make and change questionnaires in the browser."""
