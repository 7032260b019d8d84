"""A plugin adds an attribute to the fairness audit through ``umkm_audit_attributes``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from alloc_support import JAKARTA, business, program
from umkm_core import Application, PluginError, Registry, Text, allocate, hookimpl, load_registry
from umkm_core.audit import AuditAttribute, audit_allocation, builtin_attributes

AS_OF = dt.date(2017, 12, 1)


class NibAttributePlugin:
    @hookimpl
    def umkm_audit_attributes(self) -> Iterator[AuditAttribute]:
        yield AuditAttribute(
            code="has_nib",
            title=Text(id="Punya NIB", en="Has an NIB"),
            value_of=lambda b: "ya" if b.nib is not None else "tidak",
            label_of=lambda v: Text(id=v, en={"ya": "yes"}.get(v, "no")),
        )


def test_hook_umkm_audit_attributes_adds_a_group_to_the_audit(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(NibAttributePlugin())
    assert list(registry.audit_attributes) == ["has_nib"]
    everyone = [business("B1", nib=True), business("B2", nib=False), business("B3", nib=False)]
    apps = [
        Application(
            business_id=b.id,
            program_id="P2017",
            applied_at=dt.datetime(2017, 11, 20, 8, i, tzinfo=JAKARTA),
        )
        for i, b in enumerate(everyone)
    ]
    allocation = allocate(program(seats=(2,)), apps, everyone, as_of=AS_OF)
    audit = audit_allocation(
        allocation,
        everyone,
        attributes=(*builtin_attributes(AS_OF), *registry.audit_attributes.values()),
    )
    nib = audit.attribute("has_nib")
    assert (nib.group("ya").seated, nib.group("tidak").seated) == (1, 1)
    assert nib.group("tidak").label.get("en") == "no"
    assert "Punya NIB" in audit.format()


class SecondNibPlugin(NibAttributePlugin):
    pass


def test_two_plugins_registering_one_audit_attribute_are_both_named() -> None:
    with pytest.raises(PluginError) as caught:
        load_registry(plugins=[NibAttributePlugin(), SecondNibPlugin()], autoload=False)
    assert caught.value.code == "plugin.duplicate_code"
