"""What being a programme's coordinator gives: the administration site, with the permissions
to set up programmes and review registrations (rows limited to their own programmes)."""

from django.contrib.auth.models import Group, Permission

GROUP_NAME = "Coordinators"
PERMISSIONS = {
    "programs": {
        "program": ["add", "change", "view"],
        "cycle": ["add", "change", "delete", "view"],
        "stageentry": ["view"],
        "questionnaire": ["add", "change", "delete", "view"],
        "question": ["add", "change", "delete", "view"],
        "document": ["add", "change", "delete", "view"],
    },
    "participants": {
        "participant": ["change", "view"],
        "response": ["view"],
        "answer": ["view"],
        "pairing": ["view"],
        "membership": ["view"],
        "notification": ["view"],
    },
    "meetings": {"meeting": ["view"], "helprequest": ["view"]},
    "events": {
        "event": ["add", "change", "delete", "view"],
        "material": ["add", "change", "delete", "view"],
        "signup": ["view"],
    },
}


def coordinators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    wanted = [
        (app, f"{action}_{model}")
        for app, models in PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label__in=PERMISSIONS, codename__in=[code for _, code in wanted]
    )
    group.permissions.set(permissions)
    return group


def grant_coordinator_access(user) -> None:
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(coordinators_group())
