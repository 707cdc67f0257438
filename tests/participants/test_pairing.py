"""Coordinators form pairs and groups: the matching page, by hand, publishing and ending."""

import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from participants.models import (
    Answer,
    MatchingCriterion,
    PairChoice,
    Pairing,
    Participant,
    Response,
)
from participants.pairings import services as pairing
from programs.models import Question
from tests.factories import CycleFactory, ParticipantFactory, UserFactory, matching_cohort

pytestmark = pytest.mark.django_db
Tag = Question.MatchingTag


@pytest.fixture
def coordinator():
    return UserFactory(first_name="Rasa")


@pytest.fixture
def cycle(coordinator):
    cycle = CycleFactory(program__coordinators=[coordinator], default_mentor_capacity=1)
    matching_cohort(cycle, mentors=0, mentees=0)  # the questionnaires and five criteria
    return cycle


def member(cycle, role, *, name, capacity=None, language="en", **answers):
    """An accepted participant with answers to the matching questions: competences,
    languages, department, format, days."""
    first, last = name.split()
    user = UserFactory(first_name=first, last_name=last, language=language)
    participant = ParticipantFactory(
        user=user, cycle=cycle, role=role, capacity=capacity, status=Participant.Status.ACCEPTED
    )
    response = Response.objects.create(
        participant=participant, questionnaire=cycle.questionnaire_for(f"{role}_registration")
    )
    defaults = {"languages": ["English"], "department": "Faculty 1", "format": "Online"}
    values = {**defaults, **answers}
    keys = {
        "competences": (Tag.COMPETENCES_OFFERED, Tag.COMPETENCES_WANTED),
        "languages": (Tag.LANGUAGE, Tag.LANGUAGE),
        "department": (Tag.DEPARTMENT, Tag.DEPARTMENT),
        "format": (Tag.MEETING_FORMAT, Tag.MEETING_FORMAT),
        "days": (Tag.AVAILABILITY, Tag.AVAILABILITY),
    }
    for key, value in values.items():
        tag = keys[key][0 if role == "mentor" else 1]
        question = Question.objects.get(questionnaire=response.questionnaire, matching_tag=tag)
        Answer.objects.create(response=response, question=question, value=value)
    return participant


def url(name, cycle, *args):
    return reverse(f"participants:{name}", args=[cycle.pk, *args])


def drafts(cycle):
    return {
        (p.mentors[0].pk, p.mentees[0].pk): p
        for p in Pairing.objects.drafts().filter(cycle=cycle).with_members()
    }


@pytest.fixture
def emails(django_capture_on_commit_callbacks):
    """Run what the code queues after the commit (the emails), and see what was sent."""
    mail.outbox.clear()

    def sent_by(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        return result

    return sent_by


@pytest.fixture
def cohort(cycle):
    """Two mentors with one place each and three mentees: Assessment fits Ona best."""
    return {
        "ona": member(cycle, "mentor", name="Ona Mentor", competences=["Assessment"]),
        "jonas": member(cycle, "mentor", name="Jonas Mentor", competences=["Digital tools"]),
        "ieva": member(
            cycle, "mentee", name="Ieva Mentee", competences=["Assessment"], language="lt"
        ),
        "tomas": member(cycle, "mentee", name="Tomas Mentee", competences=["Digital tools"]),
        "greta": member(cycle, "mentee", name="Greta Mentee", competences=["Feedback"]),
    }


def test_only_the_programmes_coordinators_reach_the_matching(client, cycle, cohort, coordinator):
    other_coordinator = UserFactory()
    CycleFactory(program__coordinators=[other_coordinator])
    pages = [url("matching", cycle), url("matching_criteria", cycle), url("pairings", cycle)]
    for page in pages:
        assert client.get(page).status_code == 302, "anonymous: to the login"
    for outsider in [UserFactory(), other_coordinator, cohort["ieva"].user]:
        client.force_login(outsider)
        for page in pages:
            assert client.get(page).status_code == 404
        assert client.post(url("matching_run", cycle)).status_code == 404
        assert client.post(url("matching_publish", cycle)).status_code == 404
    assert not Pairing.objects.exists()
    client.force_login(coordinator)
    assert client.get(url("matching", cycle)).status_code == 200


def test_suggestions_are_the_best_pairs_explained_and_the_rest_say_why(
    client, cycle, cohort, coordinator
):
    client.force_login(coordinator)
    response = client.post(url("matching_run", cycle), follow=True)

    pairs = drafts(cycle)
    assert set(pairs) == {
        (cohort["ona"].pk, cohort["ieva"].pk),
        (cohort["jonas"].pk, cohort["tomas"].pk),
    }
    best = pairs[(cohort["ona"].pk, cohort["ieva"].pk)]
    assert best.score == 8 + 2  # all the competences she wants, and the same format
    page = response.content.decode()
    assert "2 pairs suggested, with a total score of 20." in page
    assert "Assessment in common (1 of 1 wanted)" in page
    assert "Greta Mentee" in page and "places went to pairs that score higher" in page


def test_a_locked_pair_survives_a_new_run_and_a_ruled_out_pair_never_returns(
    client, cycle, cohort, coordinator
):
    client.force_login(coordinator)
    pairing.run(cycle)
    # Lock the second-best pair for Ona, against the scores.
    pairing.assign(cycle, cohort["greta"], cohort["ona"], displace=cohort["ieva"])
    client.post(url("matching_run", cycle))
    pairs = set(drafts(cycle))
    assert (cohort["ona"].pk, cohort["greta"].pk) in pairs

    jonas_draft = next(d for d in drafts(cycle).values() if d.mentors[0] == cohort["jonas"])
    client.post(url("matching_draft", cycle, jonas_draft.pk), {"action": "rule_out"})
    ruled_out_mentee = jonas_draft.mentees[0]
    for _ in range(2):
        client.post(url("matching_run", cycle))
        pairs = set(drafts(cycle))
        assert (cohort["jonas"].pk, ruled_out_mentee.pk) not in pairs
        assert (cohort["ona"].pk, cohort["greta"].pk) in pairs

    choice = PairChoice.objects.get(kind=PairChoice.Kind.RULED_OUT)
    page = client.get(url("matching", cycle)).content.decode()
    assert "Ruled out" in page and "Allow again" in page
    client.post(url("matching_allow", cycle, choice.pk))
    assert not PairChoice.objects.filter(kind=PairChoice.Kind.RULED_OUT).exists()


def test_lock_and_unlock_from_the_page(client, cycle, cohort, coordinator):
    client.force_login(coordinator)
    pairing.run(cycle)
    draft = next(iter(drafts(cycle).values()))
    client.post(url("matching_draft", cycle, draft.pk), {"action": "lock"})
    assert PairChoice.objects.filter(kind="locked").count() == 1
    assert "locked" in client.get(url("matching", cycle)).content.decode()
    client.post(url("matching_draft", cycle, draft.pk), {"action": "unlock"})
    assert not PairChoice.objects.exists()
    response = client.post(url("matching_draft", cycle, draft.pk), {"action": "nonsense"})
    assert response.status_code == 302


def test_choosing_a_mentor_by_hand_shows_the_score_and_swaps_with_a_full_mentor(
    client, cycle, cohort, coordinator
):
    client.force_login(coordinator)
    pairing.run(cycle)
    reassign = url("matching_reassign", cycle, cohort["ieva"].pk)
    page = client.get(reassign).content.decode()
    assert "Suggested now: Ona Mentor (score 10)" in page
    assert "Swap with Tomas Mentee" in page  # Jonas is full

    response = client.post(reassign, {"mentor": cohort["jonas"].pk, "displace": cohort["tomas"].pk})
    assert response.status_code == 302
    pairs = drafts(cycle)
    assert set(pairs) == {
        (cohort["jonas"].pk, cohort["ieva"].pk),
        (cohort["ona"].pk, cohort["tomas"].pk),
    }
    assert pairs[(cohort["jonas"].pk, cohort["ieva"].pk)].score == 2  # only the format
    assert PairChoice.objects.filter(kind="locked").count() == 2
    followed = client.get(url("matching", cycle)).content.decode()
    assert "Ieva Mentee now has Jonas Mentor as mentor (score 2), locked in." in followed


def test_choosing_a_full_mentor_without_a_swap_is_refused_and_changes_nothing(
    client, cycle, cohort, coordinator
):
    client.force_login(coordinator)
    pairing.run(cycle)
    before = sorted(drafts(cycle))
    response = client.post(
        url("matching_reassign", cycle, cohort["greta"].pk), {"mentor": cohort["ona"].pk}
    )
    assert response.status_code == 200
    assert "Ona Mentor has no free place" in response.content.decode()
    assert sorted(drafts(cycle)) == before
    assert not PairChoice.objects.exists()
    response = client.post(url("matching_reassign", cycle, cohort["greta"].pk), {"mentor": "x"})
    assert "Choose a mentor from the list." in response.content.decode()


def test_publishing_creates_active_pairings_and_emails_each_member_in_their_language(
    client, cycle, cohort, coordinator, emails
):
    client.force_login(coordinator)
    pairing.run(cycle)
    response = emails(client.post, url("matching_publish", cycle), follow=True)

    assert "2 pairs and groups published" in response.content.decode()
    active = Pairing.objects.active().filter(cycle=cycle).with_members()
    assert {(p.mentors[0].pk, p.mentees[0].pk) for p in active} == {
        (cohort["ona"].pk, cohort["ieva"].pk),
        (cohort["jonas"].pk, cohort["tomas"].pk),
    }
    assert all(p.starts_on == cycle.starts_on and p.ends_on == cycle.ends_on for p in active)
    assert not Pairing.objects.drafts().exists()
    assert len(mail.outbox) == 4
    ieva = next(m for m in mail.outbox if m.to == [cohort["ieva"].user.email])
    assert ieva.extra_headers["Content-Language"] == "lt"
    assert ieva.subject == f"Jūsų mentorius: {cycle.program.name}"
    assert "Pirmasis žingsnis" in ieva.body and "Ona Mentor (mentorius)" in ieva.body
    ona = next(m for m in mail.outbox if m.to == [cohort["ona"].user.email])
    assert "Ieva Mentee (mentee): " + cohort["ieva"].user.email in ona.body
    assert "first meeting" in ona.body and "goals" in ona.body

    mail.outbox.clear()
    emails(client.post, url("matching_publish", cycle))
    assert Pairing.objects.filter(cycle=cycle).count() == 2, "publishing twice adds nothing"
    assert mail.outbox == []


def test_people_who_withdraw_before_publishing_are_not_paired(client, cycle, cohort, coordinator):
    pairing.run(cycle)
    cohort["ieva"].set_status(Participant.Status.WITHDRAWN)
    pairing.publish(cycle)
    paired = set(Pairing.objects.active().filter(cycle=cycle).values_list("members", flat=True))
    assert cohort["ieva"].pk not in paired and cohort["ona"].pk not in paired
    assert cohort["tomas"].pk in paired


def test_a_mentor_with_two_places_gets_one_group_unless_allowed_separate_pairs(cycle):
    ona = member(cycle, "mentor", name="Ona Mentor", capacity=2)
    jonas = member(cycle, "mentor", name="Jonas Mentor", capacity=2)
    jonas.several_pairings_allowed = True
    jonas.save()
    for n in range(4):
        member(cycle, "mentee", name=f"Mentee No{n}")
    pairing.run(cycle)
    pairing.publish(cycle)
    onas = Pairing.objects.active().filter(members=ona).with_members()
    jonases = Pairing.objects.active().filter(members=jonas).with_members()
    assert [len(p.mentees) for p in onas] == [2] and onas[0].is_group
    assert sorted(len(p.mentees) for p in jonases) == [1, 1]


def test_a_late_mentee_joins_the_mentors_group_at_the_next_publication(cycle, emails):
    ona = member(cycle, "mentor", name="Ona Mentor", capacity=2)
    first = member(cycle, "mentee", name="First Mentee")
    pairing.run(cycle)
    emails(pairing.publish, cycle)
    mail.outbox.clear()
    late = member(cycle, "mentee", name="Late Mentee")
    pairing.run(cycle)
    emails(pairing.publish, cycle)
    group = Pairing.objects.active().get(members=ona)
    assert set(group.members.values_list("pk", flat=True)) == {ona.pk, first.pk, late.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ona.user.email, late.user.email])
    assert "has new members" in mail.outbox[0].body


def test_a_pair_by_hand_warns_about_capacity_and_refuses_the_already_paired(
    client, cycle, cohort, coordinator, emails
):
    client.force_login(coordinator)
    new = url("pairing_new", cycle)
    data = {"mentors": [cohort["ona"].pk], "mentees": [cohort["ieva"].pk, cohort["greta"].pk]}
    response = client.post(new, data)
    page = response.content.decode()
    assert "Ona Mentor would have 2 mentees; their capacity is 1." in page
    assert "Tick the box to do it anyway" in page
    kept = response.context["form"]["mentees"].value()
    assert sorted(kept) == sorted(str(cohort[n].pk) for n in ("ieva", "greta"))
    assert not Pairing.objects.exists()

    response = emails(client.post, new, {**data, "exceed_capacity": "on"})
    assert response.status_code == 302
    group = Pairing.objects.active().get()
    assert group.members.count() == 3
    assert len(mail.outbox) == 3

    response = client.post(new, {"mentors": [cohort["jonas"].pk], "mentees": [cohort["ieva"].pk]})
    assert "Select a valid choice." in response.content.decode(), "the paired are not offered"
    assert Pairing.objects.count() == 1

    response = client.post(new, {"mentors": [cohort["jonas"].pk], "mentees": []})
    assert "This field is required." in response.content.decode()
    assert Pairing.objects.count() == 1


def test_nobody_is_their_own_mentor_by_hand(client, cycle, coordinator):
    both = member(cycle, "mentor", name="Ona Both")
    as_mentee = ParticipantFactory(
        user=both.user, cycle=cycle, role="mentee", status=Participant.Status.ACCEPTED
    )
    client.force_login(coordinator)
    response = client.post(
        url("pairing_new", cycle), {"mentors": [both.pk], "mentees": [as_mentee.pk]}
    )
    assert "Nobody can be their own mentor." in response.content.decode()
    assert not Pairing.objects.exists()


def test_ending_a_pairing_needs_a_reason_and_tells_the_members(
    client, cycle, cohort, coordinator, emails
):
    created = pairing.create(cycle, [cohort["ona"]], [cohort["ieva"]])
    client.force_login(coordinator)
    end = reverse("participants:pairing_end", args=[created.pk])
    response = client.post(end, {"reason": "  "})
    assert "This field is required." in response.content.decode()
    response = emails(client.post, end, {"reason": "The mentor moved to another university."})
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == Pairing.Status.ENDED and created.end_reason.startswith("The mentor")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cohort["ona"].user.email, cohort["ieva"].user.email]
    )
    assert "The mentor moved to another university." in mail.outbox[0].body
    assert client.get(end).status_code == 404, "an ended pairing cannot end again"
    client.force_login(UserFactory())
    assert client.get(end).status_code == 404


def test_members_see_their_published_pairing_and_nobody_elses(client, cycle, cohort):
    pairing.run(cycle)
    ieva = cohort["ieva"].user
    client.force_login(ieva)
    assert "Ona Mentor" not in client.get(reverse("my_mentorship")).content.decode()
    assert not Pairing.objects.visible_to(ieva).exists(), "drafts are the coordinators'"
    pairing.publish(cycle)
    page = client.get(reverse("my_mentorship")).content.decode()
    assert "Ona Mentor" in page and cohort["ona"].user.email in page
    assert "Tomas Mentee" not in page
    assert Pairing.objects.visible_to(ieva).count() == 1
    assert Pairing.objects.visible_to(cohort["greta"].user).count() == 0


def test_criteria_are_edited_with_clear_errors_and_made_from_the_tags(client, cycle, coordinator):
    client.force_login(coordinator)
    page = url("matching_criteria", cycle)
    formset = client.get(page).context["formset"]
    data = {
        "form-TOTAL_FORMS": len(formset.forms),
        "form-INITIAL_FORMS": len(formset.forms) - 1,
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for n, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is not None and name != "DELETE":
                data[f"form-{n}-{name}"] = getattr(value, "pk", value)
    data["form-0-weight"] = 11
    response = client.post(page, data)
    assert "Ensure this value is less than or equal to 10." in response.content.decode()
    assert MatchingCriterion.objects.filter(weight=11).count() == 0

    data["form-0-weight"] = 4
    data["form-1-DELETE"] = "on"
    assert client.post(page, data).status_code == 302
    assert MatchingCriterion.objects.filter(cycle=cycle).count() == 4
    assert MatchingCriterion.objects.filter(cycle=cycle, weight=4).exists()

    MatchingCriterion.objects.filter(cycle=cycle).delete()
    client.post(url("matching_criteria_from_tags", cycle))
    rules = dict(
        MatchingCriterion.objects.filter(cycle=cycle).values_list(
            "mentor_question__matching_tag", "rule"
        )
    )
    assert rules[Tag.COMPETENCES_OFFERED] == "overlap" and rules[Tag.LANGUAGE] == "must_match"


def test_a_criterion_must_compare_this_cycles_mentor_and_mentee_questions(cycle):
    other = CycleFactory()
    matching_cohort(other, mentors=0, mentees=0, seed=7)
    foreign = MatchingCriterion.objects.filter(cycle=other).first()
    criterion = MatchingCriterion(
        cycle=cycle,
        mentor_question=foreign.mentor_question,
        mentee_question=foreign.mentor_question,
    )
    with pytest.raises(Exception) as error:
        criterion.full_clean()
    assert "mentor_question" in str(error.value) and "mentee_question" in str(error.value)


def test_suggest_pairs_prints_the_suggestions_as_text_and_json(cycle, cohort):
    out = io.StringIO()
    call_command("suggest_pairs", cycle.pk, stdout=out)
    text = out.getvalue()
    assert "Ona Mentor - Ieva Mentee: 10" in text
    assert "Greta Mentee (mentee)" in text
    assert "2 pairs, total score 20, 1 people unmatched." in text

    out = io.StringIO()
    call_command("suggest_pairs", cycle.pk, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total_score"] == 20
    assert {s["mentee"]["name"] for s in data["suggestions"]} == {"Ieva Mentee", "Tomas Mentee"}
    assert data["unmatched"][0]["reason"] == "places_taken"
    assert not Pairing.objects.exists(), "the command saves nothing"


@pytest.mark.parametrize("page_name", ["matching", "pairings"])
def test_the_pairing_pages_make_the_same_queries_for_any_number_of_pairs(
    client, coordinator, page_name, django_assert_num_queries
):
    cycle = CycleFactory(program__coordinators=[coordinator])
    matching_cohort(cycle, mentors=3, mentees=3, seed=3)
    client.force_login(coordinator)
    pairing.run(cycle)
    if page_name == "pairings":
        pairing.publish(cycle)
    page = url(page_name, cycle)
    client.get(page)
    # Both: the request's savepoint and its release, session, user, cycle, the counts (two
    # aggregates), the page's count and rows, their members. The matching page adds the
    # criteria, the locks, the last run, the people it left over and the ruled-out pairs.
    expected = {"matching": 15, "pairings": 10}[page_name]
    with django_assert_num_queries(expected):
        client.get(page)
    matching_cohort(cycle, mentors=12, mentees=20, seed=4)
    pairing.run(cycle)
    if page_name == "pairings":
        pairing.publish(cycle)
    with django_assert_num_queries(expected):
        response = client.get(page)
    assert len(response.context["page"].object_list) > 3


def test_someone_allowed_several_pairings_can_join_a_second_one(cycle, cohort):
    pairing.create(cycle, [cohort["ona"]], [cohort["ieva"]])
    with pytest.raises(pairing.PairingError, match="Already in an active pair or group"):
        pairing.create(cycle, [cohort["jonas"]], [cohort["ieva"]])
    cohort["ieva"].several_pairings_allowed = True
    cohort["ieva"].save()
    pairing.create(cycle, [cohort["jonas"]], [cohort["ieva"]])
    assert Pairing.objects.active().filter(members=cohort["ieva"]).count() == 2


def test_coordinators_look_up_only_their_own_programmes_pairings_in_the_admin(
    client, cycle, cohort, coordinator
):
    mine = pairing.create(cycle, [cohort["ona"]], [cohort["ieva"]])
    other = CycleFactory()
    matching_cohort(other, mentors=1, mentees=1, seed=9)
    theirs = pairing.create(
        other, list(Participant.objects.filter(cycle=other, role="mentor")),
        list(Participant.objects.filter(cycle=other, role="mentee")),
    )  # fmt: skip
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    response = client.get(reverse("admin:participants_pairing_changelist"))
    assert set(response.context["cl"].queryset) == {mine}
    change = reverse("admin:participants_pairing_change", args=[theirs.pk])
    assert client.get(change).status_code == 302  # the admin's "does not exist" redirect
    assert (
        "Ona Mentor"
        in client.get(reverse("admin:participants_pairing_change", args=[mine.pk])).content.decode()
    )


def test_acting_on_a_suggestion_replaced_meanwhile_says_so(client, cycle, cohort, coordinator):
    client.force_login(coordinator)
    pairing.run(cycle)
    old = next(iter(drafts(cycle).values()))
    pairing.run(cycle)  # another coordinator ran the matching again
    response = client.post(url("matching_draft", cycle, old.pk), {"action": "lock"}, follow=True)
    assert "That suggestion has changed meanwhile" in response.content.decode()
    assert not PairChoice.objects.exists()


def test_a_mentee_already_paired_cannot_get_a_draft_by_hand(client, cycle, cohort, coordinator):
    pairing.create(cycle, [cohort["ona"]], [cohort["ieva"]])
    client.force_login(coordinator)
    response = client.post(
        url("matching_reassign", cycle, cohort["ieva"].pk), {"mentor": cohort["jonas"].pk}
    )
    assert "Ieva Mentee is already in an active pair or group." in response.content.decode()
    assert not Pairing.objects.drafts().exists()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_publishing_at_once_create_each_pairing_once():
    """Two requests publish the same drafts concurrently, each in its own transaction and
    database connection: the cycle's row lock makes the second find nothing left."""
    import threading

    from django.db import connection, transaction

    cycle = CycleFactory(default_mentor_capacity=1)
    matching_cohort(cycle, mentors=6, mentees=6, seed=5)
    pairing.run(cycle)
    suggested = Pairing.objects.drafts().filter(cycle=cycle).count()
    assert suggested > 0
    mail.outbox.clear()
    start = threading.Barrier(2)
    published = []

    def publish():
        try:
            start.wait()
            with transaction.atomic():
                published.append(len(pairing.publish(cycle)))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    active = Pairing.objects.active().filter(cycle=cycle)
    assert sorted(published) == [0, active.count()]
    members = Participant.objects.filter(pairings__in=active).select_related("user")
    assert len(members) == len(set(members)), "nobody twice"
    assert len([m for m in members if m.role == "mentee"]) == suggested
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in members), (
        "one email a member, none twice"
    )


@pytest.mark.parametrize(("mentors", "mentees"), [(2, 3), (12, 20)])
def test_the_matching_problem_is_read_in_the_same_queries_however_many_people(
    django_assert_num_queries, mentors, mentees
):
    from participants.pairings import matching

    cycle = CycleFactory()
    matching_cohort(cycle, mentors=mentors, mentees=mentees, seed=5)
    # The criteria, the members of the active pairings, the people with their names, their
    # answers, the coordinators' choices: none per person (a name once read the person's
    # account again for each of them).
    with django_assert_num_queries(5):
        problem = matching.load_problem(cycle)
    assert len(problem.mentors) == mentors and len(problem.mentees) == mentees
    assert all(person.name for person in (*problem.mentors, *problem.mentees))
