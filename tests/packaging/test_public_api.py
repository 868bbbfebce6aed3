"""The public surface: what each package lists in ``__all__`` is there, and is all a user needs.

Public are the top-level packages (``otlink``, ``otlink.client``, ``otlink.models``,
``otlink.errors``, ``otlink.discovery``, ``otlink.live``, ...) and the names in their ``__all__``;
the modules inside them (``otlink.client.steps``, ``otlink.emulator.run_store``, ...) and the CLI
package are how they are built, and may change.
"""

from __future__ import annotations

import collections.abc
import importlib
import inspect
import pkgutil
import typing
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

import otlink
from otlink.client.operations import operation, stream
from otlink.client.steps import Emit

PACKAGES = sorted(
    ["otlink", "otlink.errors", "otlink.extras"]
    + [
        found.name
        for found in pkgutil.iter_modules(otlink.__path__, "otlink.")
        if found.ispkg and found.name != "otlink.cli"
    ]
)


def listed(package: str) -> dict[str, Any]:
    module = importlib.import_module(package)
    return {name: getattr(module, name) for name in module.__all__}


def test_the_public_packages_are_the_ones_this_test_knows() -> None:
    # A new package is public from the day it lands: it needs an __all__ (and this list).
    assert {"otlink.client", "otlink.models", "otlink.discovery", "otlink.live"} <= set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_every_package_lists_what_it_offers_and_every_listed_name_imports(package: str) -> None:
    module = importlib.import_module(package)
    names = module.__all__
    assert len(set(names)) == len(names), "listed twice"
    for name in names:
        assert getattr(module, name, None) is not None, f"{package}.{name} is listed, not there"
    unlisted = [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, ModuleType)
        and getattr(value, "__module__", "").startswith(package)
        and name not in names
    ]
    assert not unlisted, f"{package} offers {unlisted} without listing them in __all__"


def otlink_classes(annotation: Any) -> Iterator[type]:
    if isinstance(annotation, type):
        if annotation.__module__.startswith("otlink"):
            yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from otlink_classes(argument)


def signatures(value: Any) -> Iterator[tuple[str, Any]]:
    """(name, function) of a public function, or of a public class's own methods (for the
    clients' operations, the flow each one runs)."""
    if inspect.isfunction(value):
        yield value.__name__, value
    elif inspect.isclass(value):
        for klass in value.__mro__:
            if klass.__module__.startswith("otlink"):
                for name, member in vars(klass).items():
                    public = not name.startswith("_") or name == "__init__"
                    if public and isinstance(member, operation | stream):
                        yield f"{value.__name__}.{name}", member._flow
                    elif public and inspect.isfunction(member):
                        yield f"{value.__name__}.{name}", member


def user_facing(name: str, annotation: Any, function: Any) -> Any:
    """What the user passes or gets: a flow's ClientOptions is the client's, its Generator
    return is the result (or, for a stream, the items)."""
    if getattr(function, "__module__", "").startswith("otlink.client.") and name == "options":
        return None
    if typing.get_origin(annotation) is collections.abc.Generator:
        steps, _, result = typing.get_args(annotation)
        if result is type(None):
            emits = [a for a in typing.get_args(steps) if typing.get_origin(a) is Emit]
            return typing.get_args(emits[0])[0] if emits else None
        return result
    return annotation


def test_what_the_public_api_takes_and_returns_is_public_too() -> None:
    """A user can name (import, annotate) every otlink type a public function takes or returns."""
    public = {id(value): value for package in PACKAGES for value in listed(package).values()}
    names = {name: value for package in PACKAGES for name, value in listed(package).items()}
    hidden: dict[str, str] = {}
    for package in PACKAGES:
        for value in listed(package).values():
            for where, function in signatures(value):
                # Names imported only for type checking resolve among the public ones.
                hints = typing.get_type_hints(function, {**names, **function.__globals__})
                for name, annotation in hints.items():
                    for klass in otlink_classes(user_facing(name, annotation, function)):
                        if id(klass) not in public:
                            hidden[f"{klass.__module__}.{klass.__qualname__}"] = (
                                f"{package}: {where}"
                            )
    assert not hidden, f"not in any __all__, yet in a public signature: {hidden}"
