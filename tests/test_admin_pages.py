"""Every admin page an administrator can open renders (in Chinese), with the seed loaded."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import Truncator

MODELS = [model for model in admin.site._registry]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}")
def test_changelist_and_add_pages_render(client, seeded, model):
    client.force_login(get_user_model().objects.get(username="admin"))
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = client.get(reverse(f"{prefix}_changelist"))
    assert changelist.status_code == 200
    assert "选择" in changelist.content.decode() or "增加" in changelist.content.decode()
    assert escape(str(model._meta.verbose_name_plural)) in changelist.content.decode()
    obj = model.objects.first()
    if obj is not None:
        change = client.get(reverse(f"{prefix}_change", args=[obj.pk]))
        assert change.status_code == 200
        # The breadcrumbs name the object being changed.
        assert escape(Truncator(str(obj)).words(18, "…")) in change.content.decode()
    add = client.get(reverse(f"{prefix}_add"))
    assert add.status_code in (200, 403)
    if add.status_code == 200:
        assert escape(str(model._meta.verbose_name)) in add.content.decode()
