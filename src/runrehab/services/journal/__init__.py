"""The runner's journal: the programme, the day's plan and check-in, questionnaires,
lessons, holds, and the data's export, import and erasure."""
