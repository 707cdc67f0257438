"""`mentorship.choices`: the labels of a model's choices, from a dict made once per field."""

from django.utils import translation

from participants.models import Participant


def test_a_label_speaks_the_language_of_each_call_and_an_unknown_value_shows_as_it_is():
    participant = Participant(role=Participant.Role.MENTOR, status="archived")
    assert participant.get_role_display() == "Mentor"
    with translation.override("lt"):
        assert participant.get_role_display() == translation.gettext("Mentor") != "Mentor"
    assert participant.get_role_display() == "Mentor"
    assert participant.get_status_display() == "archived"
