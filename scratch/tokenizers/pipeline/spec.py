"""Reading the components of a ``tokenizer.json``: the error for what is not built, checked
access to a component's fields, the opening that every stage's ``*_from_json`` shares
(:func:`read_component`), and the base of every component (:class:`Component`).

A ``tokenizer.json`` (Hugging Face ``tokenizers``' serialization) holds one JSON object per
stage, each tagged with ``"type"``. A loader that meets a ``type`` or an option it does not
implement must say so when the file is loaded (:class:`UnsupportedComponentError`, naming
the stage and the component), never build something that gives other ids later.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from ..base import MalformedVocabError

_MISSING = object()


class UnsupportedComponentError(MalformedVocabError):
    """A ``tokenizer.json`` component (or one of its options) that tokemb does not build."""


def component_type(spec: Any, stage: str) -> str:
    """The ``"type"`` of one stage's JSON object; :class:`MalformedVocabError` when it has none."""
    if not isinstance(spec, dict) or not isinstance(spec.get("type"), str):
        raise MalformedVocabError(f"{stage}: expected an object with a 'type', got {spec!r:.80}")
    return spec["type"]


def field(spec: dict, name: str, kind: type | tuple[type, ...], where: str, default: Any = _MISSING) -> Any:
    """``spec[name]``, checked to be of ``kind`` (``None`` allowed only through ``default``).

    A missing field takes ``default`` (or is an error when there is none); a field of the
    wrong type is a :class:`MalformedVocabError` naming ``where`` and the field."""
    if name not in spec or spec[name] is None and default is None:
        if default is _MISSING:
            raise MalformedVocabError(f"{where}: the field {name!r} is missing")
        return default
    value = spec[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise MalformedVocabError(f"{where}: the field {name!r} should be {names}, got {value!r:.80}")
    return value


def refuse_unknown_options(spec: dict, known: Iterable[str], where: str) -> None:
    """:class:`UnsupportedComponentError` naming every field of ``spec`` besides ``"type"`` that is
    not in ``known``: an option this loader does not implement could change the result."""
    unknown = sorted(set(spec) - {"type", *known})
    if unknown:
        raise UnsupportedComponentError(f"{where}: option(s) {', '.join(map(repr, unknown))} not supported")


#: How a stage reads one component type: the options its JSON object may have besides
#: ``"type"``, and the function that builds the component from the object and the ``where``
#: that error messages start with.
Reader = tuple[Iterable[str], Callable[[dict, str], Any]]


def read_component(spec: Any, stage: str, readers: Mapping[str, Reader]) -> Any:
    """The component that one stage's JSON object describes (``None`` for ``None``).

    The ``"type"`` is looked up in ``readers`` (type -> :data:`Reader`); a type that is not
    there is an :class:`UnsupportedComponentError` naming the stage, the type and the known
    ones, an option the type does not have too (:func:`refuse_unknown_options`), as
    ``tokenizers`` refuses what its serde structs do not declare. The reader then builds
    the component, naming ``"<stage> <type>"`` in its errors."""
    if spec is None:
        return None
    kind = component_type(spec, stage)
    where = f"{stage} {kind}"
    if kind not in readers:
        raise UnsupportedComponentError(f"{where}: not supported (known: {', '.join(readers)})")
    options, read = readers[kind]
    refuse_unknown_options(spec, options, where)
    return read(spec, where)


class Component:
    """The base of the components of every stage. A component is what it writes in
    ``tokenizer.json`` (:meth:`to_json`): two are equal when they are of one class and write
    the same object, and one is shown with the options it writes."""

    def to_json(self) -> dict[str, Any]:
        """The object ``tokenizers`` writes for this component in ``tokenizer.json``."""
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.to_json() == self.to_json()

    def __repr__(self) -> str:
        options = {k: v for k, v in self.to_json().items() if k != "type"}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in options.items())})"
