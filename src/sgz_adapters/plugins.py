"""The plugin manager: built-in plugins, the ``sgz`` entry-point group, and what they register.

Plugins are loaded on first use, not at import. Every plugin, sgz's own included, is found
through the entry-point group ``sgz``: sgz's ``pyproject.toml`` declares one entry point per
built-in module (named by the module's path), and a third party's package declares its own. Both
are loaded by ``EntryPoint.load()`` and registered with the same ``pm.register`` call, hooks and
blocking. The entry points of the ``sgz`` distribution are its built-in plugins; they register
first, in the order of :data:`DEFAULT_PLUGINS`. That tuple is also the fallback for a source tree
whose package metadata lacks the entry points (a checkout on ``PYTHONPATH``, an old editable
install): a built-in with no entry point is imported from it by name, so it still loads, once.

Two environment variables select, read when the plugins load (``load(environ)`` takes them
explicitly):

- ``SGZ_LOAD_PLUGINS``: a comma list of installed plugins (distribution or entry-point names) to
  load instead of all of them; empty loads none. Built-in plugins always load.
- ``SGZ_DISABLED_PLUGINS``: a comma list of plugin names never to load, built-ins included.
  A name that is no installed plugin is a :class:`PluginWarning` (the command line prints it
  once on stderr); a name in ``SGZ_LOAD_PLUGINS`` that is none is a :class:`PluginError`.

After loading, ``check_pending()`` makes a misspelt hook an error, not a silent no-op.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.machinery
import os
import re
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import CodeType, FrameType, ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from sgz_adapters.said import PluginFailed
from sgz_core import __version__, hookspecs
from sgz_core.errors import InvalidInput, NotFound, PluginError
from sgz_core.text import Text

if TYPE_CHECKING:
    # Imported where they are used, so that importing this module (every ``sgz`` command,
    # ``--help`` included) costs neither ``importlib.metadata`` nor the model (issue 12).
    import importlib.metadata

    from sgz_core.findings import Finding
    from sgz_core.model import Programme
    from sgz_core.ports import (
        Notifier,
        NotifierFactory,
        Reporter,
        ReporterFactory,
        Settings,
        StorageFactory,
    )
    from sgz_core.profiles import Profile
    from sgz_core.rules import Rule

DEFAULT_PLUGINS: tuple[str, ...] = (
    "sgz_adapters.default_check",
    "sgz_adapters.default_notifiers",
    "sgz_adapters.default_reporters",
    "sgz_adapters.storage.memory",
    "sgz_adapters.storage.sqlite",
    "sgz_adapters.storage.sql",
)
"""The built-in plugins, in registration order; each is named by its module path, as its entry point
in sgz's ``pyproject.toml`` is. A built-in whose entry point is missing is imported from here."""

DISTRIBUTION = "sgz"
"""The distribution whose ``sgz`` entry points are the built-in plugins."""
ENTRY_POINT_GROUP = hookspecs.PROJECT
LOAD_PLUGINS = "SGZ_LOAD_PLUGINS"
DISABLED_PLUGINS = "SGZ_DISABLED_PLUGINS"

BUILT_IN, ENTRY_POINT, REGISTERED = "built-in", "entry point", "registered"

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


@attrs.frozen
class PluginInfo:
    """One loaded plugin, as ``sgz plugins`` shows it."""

    name: str
    version: str | None
    hooks: tuple[str, ...]
    source: str
    """``built-in``, ``entry point`` (an installed package) or ``registered`` (in-process)."""
    distribution: str | None = None


@attrs.define
class _State:
    pm: pluggy.PluginManager | None = None
    origin: dict[str, tuple[str, str | None, str | None]] = attrs.Factory(dict)
    """Plugin name to (source, distribution, version)."""
    lock: threading.RLock = attrs.Factory(threading.RLock)


_state = _State()


# --- Loading ------------------------------------------------------------------------------------


def _normal(name: str) -> str:
    """PEP 503 normal form, so ``sgz_storage_jsonl`` and ``SGZ-Storage-JSONL`` name one plugin."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def _names(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {_normal(n) for n in value.split(",") if n.strip()}


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {name}: {exc}") from None
    except ValueError as exc:  # the name or the module is registered already
        raise PluginError(f"plugin {name}: {exc}") from None


def _check_pending(pm: pluggy.PluginManager) -> None:
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or repr(exc.plugin)
        known = ", ".join(sorted(n for n in dir(hookspecs) if n.startswith("sgz_")))
        raise PluginError(f"plugin {name}: {exc}; sgz's hooks are {known}") from None


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    """Every entry point in the ``sgz`` group, sgz's own included (one per distribution name)."""
    import importlib.metadata

    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))


_METADATA_SUFFIXES = (".dist-info", ".egg-info")
_PATH_FINDER = importlib.machinery.PathFinder


@attrs.frozen
class _Scan:
    """What :func:`_scan` found of the ``sgz`` entry points on ``sys.path``."""

    others: bool
    """A distribution other than sgz may declare one (also: the scan could not tell)."""
    own: tuple[tuple[str, str], ...] | None
    """sgz's own ``(name, value)`` pairs; ``None`` when sgz's metadata was not found."""


def _section(text: bytes) -> list[tuple[str, str]] | None:
    """The ``name = value`` pairs of the ``[sgz]`` section of an ``entry_points.txt``, or
    ``None`` when the text is not plainly readable."""
    try:
        lines = text.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None
    pairs: list[tuple[str, str]] = []
    inside = False
    for raw in lines:
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            inside = line == f"[{ENTRY_POINT_GROUP}]"
            continue
        if inside:
            name, equals, value = line.partition("=")
            if not equals:
                return None
            pairs.append((name.strip(), value.strip()))
    return pairs


def _scan(path: Sequence[str] | None = None) -> _Scan:
    """The ``sgz`` entry points, found without importing ``importlib.metadata`` (a fifth of
    ``sgz --help`` before; issue 12).

    Reads the ``entry_points.txt`` of each ``*.dist-info`` and ``*.egg-info`` folder in the
    folders of ``sys.path`` (``path``), as ``importlib.metadata``'s path finder does. Whatever
    it cannot read that way (a zip or egg on the path, a finder of distributions other than
    the standard one, an unreadable file, sgz's metadata twice) counts as ``others``, so the
    caller then asks ``importlib.metadata``: ``others=False`` is always right.
    """
    unsure = _Scan(True, None)
    for finder in sys.meta_path:
        if getattr(finder, "find_distributions", None) is not None and finder is not _PATH_FINDER:
            return unsure
    own: tuple[tuple[str, str], ...] | None = None
    for entry in sys.path if path is None else path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            continue
        except OSError:  # a zip file, an unreadable folder: leave it to importlib.metadata
            return unsure
        own_here: tuple[tuple[str, str], ...] | None = None
        for name in names:
            if name.endswith(".egg"):
                return unsure
            if not name.endswith(_METADATA_SUFFIXES):
                continue
            dist = _normal(name.rpartition(".")[0].partition("-")[0])
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as f:
                    pairs = _section(f.read())
            except (FileNotFoundError, NotADirectoryError):
                pairs = []  # no entry points (or a PKG-INFO file named *.egg-info)
            except OSError:
                return unsure
            if pairs is None:
                return unsure
            if dist == DISTRIBUTION:
                if own_here is not None:
                    return unsure  # two copies of sgz's metadata in one folder: which one?
                own_here = tuple(pairs)
            elif pairs:
                return unsure
        if own is None:  # the first folder on the path with sgz's metadata counts, as there
            own = own_here
    return _Scan(False, own)


def _others_may_declare_plugins() -> bool:
    """Whether a distribution other than sgz may declare an ``sgz`` entry point."""
    return _scan().others


def _builtins_alone(env: Mapping[str, str]) -> frozenset[str] | None:
    """sgz's own entry-point names when its built-ins are sure to be the only plugins to load
    and none is disabled (then :func:`load` needs no ``importlib.metadata``), else ``None``.

    ``importlib.metadata`` is asked all the same when it is imported already (it then costs
    nothing more, and what it finds is the reference), and when ``SGZ_LOAD_PLUGINS`` or
    ``SGZ_DISABLED_PLUGINS`` is set (their warnings and errors name what it finds).
    """
    if "importlib.metadata" in sys.modules:
        return None
    if env.get(LOAD_PLUGINS) is not None or env.get(DISABLED_PLUGINS) is not None:
        return None
    found = _scan()
    if found.others:
        return None
    own = found.own or ()
    if any(name != value or name not in DEFAULT_PLUGINS for name, value in own):
        return None  # an entry point of sgz's that is no plain built-in module
    return frozenset(name for name, _ in own)


def _dist_name(ep: importlib.metadata.EntryPoint) -> str:
    return (ep.dist.metadata["Name"] if ep.dist is not None else None) or "?"


def _is_builtin(ep: importlib.metadata.EntryPoint) -> bool:
    return _normal(_dist_name(ep)) == DISTRIBUTION


def _load_entry_point(ep: importlib.metadata.EntryPoint) -> object:
    try:
        return ep.load()
    except Exception as exc:
        raise PluginError(
            f"plugin {ep.name} (from {_dist_name(ep)}) failed to load: {type(exc).__name__}: {exc}"
        ) from exc


def _import_builtin(module_name: str) -> object:
    """The fallback for a built-in whose entry point the package metadata lacks."""
    return importlib.import_module(module_name)


def _load_builtins(
    pm: pluggy.PluginManager, eps: Sequence[importlib.metadata.EntryPoint], disabled: set[str]
) -> dict[str, tuple[str, str | None, str | None]]:
    """sgz's own plugins: its entry points, or the modules of DEFAULT_PLUGINS that have none.

    Registered in the order of DEFAULT_PLUGINS (then any other entry point sgz declares), before
    any installed package, so hook order does not depend on ``sys.path``. An entry point and its
    fallback share one name, so a built-in is registered once whichever way it was found.
    """
    own = {ep.name: ep for ep in eps if _is_builtin(ep)}
    origin: dict[str, tuple[str, str | None, str | None]] = {}
    for name in [*DEFAULT_PLUGINS, *sorted(own.keys() - set(DEFAULT_PLUGINS))]:
        if _normal(name) in disabled:
            pm.set_blocked(name)
            continue
        if pm.has_plugin(name) or pm.is_blocked(name):
            continue
        ep = own.get(name)
        plugin = _load_entry_point(ep) if ep is not None else _import_builtin(name)
        _register(pm, plugin, name)
        origin[name] = (BUILT_IN, DISTRIBUTION, __version__)
    return origin


def _load_builtins_alone(
    pm: pluggy.PluginManager, declared: frozenset[str]
) -> dict[str, tuple[str, str | None, str | None]]:
    """:func:`_load_builtins` when sgz's entry points are known to be ``declared`` (plain
    modules of DEFAULT_PLUGINS) and nothing is disabled: each is imported as its entry point
    would load it, and a failure says what ``_load_entry_point`` says."""
    origin: dict[str, tuple[str, str | None, str | None]] = {}
    for name in DEFAULT_PLUGINS:
        plugin: object
        if name in declared:
            try:
                plugin = importlib.import_module(name)
            except Exception as exc:
                raise PluginError(
                    f"plugin {name} (from {DISTRIBUTION}) failed to load: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
        else:
            plugin = _import_builtin(name)
        _register(pm, plugin, name)
        origin[name] = (BUILT_IN, DISTRIBUTION, __version__)
    return origin


def _load_installed(
    pm: pluggy.PluginManager,
    eps: Sequence[importlib.metadata.EntryPoint],
    wanted: set[str] | None,
    disabled: set[str],
) -> dict[str, tuple[str, str | None, str | None]]:
    """Installed packages' plugins, selected by SGZ_LOAD_PLUGINS and SGZ_DISABLED_PLUGINS."""
    origin: dict[str, tuple[str, str | None, str | None]] = {}
    found: set[str] = set()
    builtin_names = {_normal(m) for m in DEFAULT_PLUGINS}
    for ep in eps:
        if _is_builtin(ep):
            builtin_names.add(_normal(ep.name))
            continue
        dist_name = _dist_name(ep)
        keys = {_normal(ep.name), _normal(dist_name)}
        found |= keys
        if wanted is not None and not keys & wanted:
            continue
        if keys & disabled:
            pm.set_blocked(ep.name)
            continue
        if pm.has_plugin(ep.name) or pm.is_blocked(ep.name):
            continue  # a built-in's name, or the same distribution seen twice
        _register(pm, _load_entry_point(ep), ep.name)
        version = ep.dist.version if ep.dist is not None else None
        origin[ep.name] = (ENTRY_POINT, dist_name, version)
    if wanted:
        missing = wanted - found - builtin_names
        if missing:
            raise PluginError(
                f"{LOAD_PLUGINS} names {', '.join(sorted(missing))}, which is not an installed plugin"
            )
    return origin


class PluginWarning(UserWarning):
    """Something about the plugins that does not stop sgz but is probably a mistake."""


def _warn_unknown_disabled(
    eps: Sequence[importlib.metadata.EntryPoint], disabled: set[str]
) -> None:
    """``SGZ_DISABLED_PLUGINS`` naming no plugin is a warning, not an error: what it asks for
    (that plugin not running) holds. ``SGZ_LOAD_PLUGINS`` naming none is an error: a plugin the
    user counts on would be missing."""
    shown = {*DEFAULT_PLUGINS, *(ep.name for ep in eps)}
    known = {_normal(n) for n in shown} | {_normal(_dist_name(ep)) for ep in eps}
    unknown = sorted(disabled - known)
    if unknown:
        warnings.warn(
            f"{DISABLED_PLUGINS} names {', '.join(unknown)}, which is not an installed plugin; "
            f"the plugins are {', '.join(sorted(shown))}",
            PluginWarning,
            stacklevel=3,
        )


def load(environ: Mapping[str, str] | None = None) -> pluggy.PluginManager:
    """(Re)load every plugin from scratch, selected by ``environ`` (default ``os.environ``)."""
    env = os.environ if environ is None else environ
    wanted, disabled = _names(env.get(LOAD_PLUGINS)), _names(env.get(DISABLED_PLUGINS)) or set()
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    alone = _builtins_alone(env)
    if alone is not None:  # the same plugins, in the same order, as the entry points give
        origin = _load_builtins_alone(pm, alone)
    else:
        eps = _entry_points()
        origin = _load_builtins(pm, eps, disabled)
        if wanted != set():
            origin |= _load_installed(pm, eps, wanted, disabled)
        _warn_unknown_disabled(eps, disabled)
    _check_pending(pm)
    with _state.lock:
        _state.pm, _state.origin = pm, origin
    return pm


def get_pm() -> pluggy.PluginManager:
    """The plugin manager, loading the plugins on first use."""
    with _state.lock:
        if _state.pm is None:
            return load()
        return _state.pm


def reset() -> None:
    """Forget the loaded plugins; the next use loads them again (for tests)."""
    with _state.lock:
        _state.pm, _state.origin = None, {}


def register_plugin(plugin: object, name: str | None = None) -> str:
    """Register an in-process plugin (a module, class or object with hooks); returns its name.

    Its hooks are checked at once: a misspelt ``sgz_`` hook raises :class:`PluginError` and the
    plugin is not kept.
    """
    pm = get_pm()
    name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
    _register(pm, plugin, name)
    try:
        _check_pending(pm)
    except PluginError:
        pm.unregister(name=name)
        raise
    _state.origin[name] = (REGISTERED, None, getattr(plugin, "__version__", None))
    return name


def unregister_plugin(name: str) -> None:
    """Remove a plugin registered by name (built-in, installed or in-process)."""
    pm = get_pm()
    if pm.get_plugin(name) is None:
        raise NotFound("plugin", name, [n for n, p in pm.list_name_plugin() if p is not None])
    pm.unregister(name=name)
    _state.origin.pop(name, None)


def installed_plugins() -> list[PluginInfo]:
    """Every loaded plugin with its version and the hooks it implements, built-ins first."""
    pm = get_pm()
    found = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:  # blocked
            continue
        source, dist, version = _state.origin.get(name, (REGISTERED, None, None))
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(plugin) or ()))
        found.append(PluginInfo(name, version, hooks, source, dist))
    order = {BUILT_IN: 0, ENTRY_POINT: 1, REGISTERED: 2}
    return sorted(found, key=lambda p: (order.get(p.source, 3), p.name))


def disabled_plugins() -> list[str]:
    """The names ``SGZ_DISABLED_PLUGINS`` kept from loading."""
    return sorted(name for name, plugin in get_pm().list_name_plugin() if plugin is None)


# --- What plugins register -----------------------------------------------------------------------


def plugin_failed(plugin: str, hook_name: str | None, exc: BaseException) -> PluginError:
    """The one-line error for a plugin whose code raised, with the way to run without it."""
    what = f"{hook_name} failed" if hook_name else "failed"
    what_zh = f"{hook_name} 出错" if hook_name else "出错"
    message = " ".join(str(exc).split("\n"))
    return PluginFailed(
        Text(
            f"插件 {plugin}：{what_zh}：{type(exc).__name__}: {message}；"
            f"如要不加载它运行，请设置 {DISABLED_PLUGINS}={plugin}",
            f"plugin {plugin}: {what}: {type(exc).__name__}: {message}; "
            f"to run without it, set {DISABLED_PLUGINS}={plugin}",
        )
    )


def _impl_codes(hook: Any) -> dict[CodeType, str]:
    """The code object of each implementation of ``hook`` (wrappers included) to its plugin."""
    codes: dict[CodeType, str] = {}
    for impl in hook.get_hookimpls():
        code = getattr(impl.function, "__code__", None)
        if isinstance(code, CodeType):
            codes.setdefault(code, impl.plugin_name)
    return codes


def _running(codes: Mapping[CodeType, str], frame: FrameType | None) -> str | None:
    """The plugin whose implementation is running in ``frame`` or one of its callers."""
    while frame is not None:
        if frame.f_code in codes:
            return codes[frame.f_code]
        frame = frame.f_back
    return None


def _frames(tb: TracebackType | None) -> list[FrameType]:
    """The frames of a traceback, innermost first."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames[::-1]


def _registrations(hook_name: str) -> list[tuple[str, tuple[Any, ...]]]:
    """Call one ``sgz_register_*`` hook through pluggy: (plugin name, register's arguments).

    The hook is called once, as ``pm.hook.<name>(register=…)``, so ``wrapper=True``
    implementations around it are honoured. Each call of ``register`` is attributed to the
    implementation running it (found by its code object on the stack); the calls are returned
    in the order of the plugins (pluggy's ``get_hookimpls``), whatever order pluggy ran them in.
    """
    hook = getattr(get_pm().hook, hook_name)
    codes = _impl_codes(hook)
    order = {impl.plugin_name: i for i, impl in enumerate(hook.get_hookimpls())}
    calls: list[tuple[str, tuple[Any, ...]]] = []
    running = True

    def register(*args: Any) -> None:
        plugin = _running(codes, sys._getframe(1))
        if plugin is None or not running:
            raise PluginError(
                f"{hook_name}: register() was called from outside an implementation of the hook"
            )
        calls.append((plugin, args))

    try:
        hook(register=register)
    except (PluginError, InvalidInput):
        raise
    except Exception as exc:
        wrappers = {
            code
            for impl in hook.get_hookimpls()
            if (impl.wrapper or impl.hookwrapper)
            and isinstance(code := getattr(impl.function, "__code__", None), CodeType)
        }
        plugin = next(
            (
                codes[f.f_code]
                for i, f in enumerate(_frames(exc.__traceback__))
                if f.f_code in codes and not (i and f.f_code in wrappers)
            ),
            "?",
        )
        raise plugin_failed(plugin, hook_name, exc) from exc
    finally:
        running = False
    calls.sort(key=lambda call: order.get(call[0], len(order)))
    return calls


def culprit(tb: TracebackType | None) -> str | None:
    """The installed plugin whose code raised the exception with traceback ``tb``, if any.

    The innermost frame that runs a hook implementation of a plugin that is not sgz's own, or
    code of its module or package (a rule's check, a reporter's ``render``, a notifier). A
    wrapper is blamed only when it raised itself, not when an inner implementation's exception
    passed through its ``yield``.
    """
    with _state.lock:
        pm = _state.pm
        origin = dict(_state.origin)
    if pm is None or tb is None:
        return None
    codes: dict[CodeType, str] = {}
    wrappers: set[CodeType] = set()
    modules: dict[str, str] = {}
    packages: dict[str, str] = {}
    for name, plugin in pm.list_name_plugin():
        if plugin is None or origin.get(name, (REGISTERED,))[0] == BUILT_IN:
            continue
        owned = {getattr(plugin, "__name__", None) if isinstance(plugin, ModuleType) else None}
        owned.add(getattr(plugin, "__module__", None))
        for caller in pm.get_hookcallers(plugin) or ():
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin:
                    owned.add(getattr(impl.function, "__module__", None))
                    code = getattr(impl.function, "__code__", None)
                    if isinstance(code, CodeType):
                        codes.setdefault(code, name)
                        if impl.wrapper or impl.hookwrapper:
                            wrappers.add(code)
        for module in owned - {None}:
            assert module is not None
            modules.setdefault(module, name)
            top = module.partition(".")[0]
            if top not in _OWN_PACKAGES:
                packages.setdefault(top, name)
    for i, frame in enumerate(_frames(tb)):
        if i and frame.f_code in wrappers:
            continue  # a wrapper the exception only passed through, at its ``yield``
        if frame.f_code in codes:
            return codes[frame.f_code]
        module = frame.f_globals.get("__name__", "")
        if module in modules:
            return modules[module]
        if isinstance(module, str) and module.partition(".")[0] in packages:
            return packages[module.partition(".")[0]]
    return None


_OWN_PACKAGES = frozenset({"sgz_core", "sgz_adapters", "pluggy", "builtins", "__main__"})


def _keyed(
    hook_name: str, what: str, pattern: re.Pattern[str], by: dict[str, str] | None = None
) -> dict[str, Any]:
    """Name to factory of one ``sgz_register_*`` hook; ``by`` (if given) gets name to plugin."""
    table: dict[str, Any] = {}
    by = {} if by is None else by
    for plugin, args in _registrations(hook_name):
        if len(args) != 2:
            raise PluginError(f"plugin {plugin}: {hook_name} expects register(name, factory)")
        key, factory = args
        if not isinstance(key, str) or not pattern.match(key):
            raise PluginError(
                f"plugin {plugin}: {what} name {key!r} does not match {pattern.pattern}"
            )
        if not callable(factory):
            raise PluginError(f"plugin {plugin}: the factory of {what} {key!r} is not callable")
        if key in table:
            raise PluginError(f"{what} {key!r} is registered by both {by[key]} and {plugin}")
        table[key], by[key] = factory, plugin
    return table


def storage_factories() -> dict[str, StorageFactory]:
    """URL scheme to the factory that opens a storage from its URL (``sgz_register_storage``)."""
    return _keyed("sgz_register_storage", "storage scheme", _SCHEME)


def notifier_factories() -> dict[str, NotifierFactory]:
    """Notifier name to the factory that makes one from settings (``sgz_register_notifiers``)."""
    return _keyed("sgz_register_notifiers", "notifier", _NAME)


def reporter_factories() -> dict[str, ReporterFactory]:
    """Reporter name to the factory that makes one from settings (``sgz_register_reporters``)."""
    return _keyed("sgz_register_reporters", "reporter", _NAME)


def _made(what: str, method: str, name: str, settings: Settings | None) -> Any:
    """What the factory of ``what`` ``name`` makes from ``settings``, checked to have ``method``:
    a factory returning something else is its plugin's error, not sgz's internal one."""
    by: dict[str, str] = {}
    factories = _keyed(f"sgz_register_{what}s", what, _NAME, by)
    if name not in factories:
        raise NotFound(what, name, sorted(factories))
    made = factories[name](dict(settings or {}))
    if not callable(getattr(made, method, None)):
        raise PluginError(
            f"plugin {by[name]}: the factory of {what} {name!r} returned "
            f"{type(made).__name__}, not a {what} (it has no {method} method)"
        )
    return made


def make_notifier(name: str, settings: Settings | None = None) -> Notifier:
    """The notifier ``name`` made from ``settings``."""
    notifier: Notifier = _made("notifier", "notify", name, settings)
    return notifier


def make_reporter(name: str, settings: Settings | None = None) -> Reporter:
    """The reporter ``name`` made from ``settings``."""
    reporter: Reporter = _made("reporter", "render", name, settings)
    return reporter


@attrs.frozen
class Command:
    """A subcommand a plugin adds to ``sgz`` (``sgz_register_commands``)."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    """Adds the command's arguments to its argparse parser."""
    run: Callable[[argparse.Namespace], int]
    """Runs the command with the parsed arguments; returns the exit status."""
    plugin: str


def _no_plugin_commands() -> bool:
    """Whether :func:`plugin_commands` is sure to be empty without loading any plugin.

    sgz's own plugins add no command (``tests/plugins/test_plugin_loading.py`` checks it), so
    with no plugin loaded yet, neither ``SGZ_LOAD_PLUGINS`` nor ``SGZ_DISABLED_PLUGINS`` set
    (their warnings and errors come from loading) and no other distribution declaring an
    ``sgz`` entry point, there is none. Then ``sgz --help`` imports no plugin (issue 12).
    """
    with _state.lock:
        if _state.pm is not None:
            return False
    if os.environ.get(LOAD_PLUGINS) is not None or os.environ.get(DISABLED_PLUGINS) is not None:
        return False
    return not _others_may_declare_plugins()


def plugin_commands() -> dict[str, Command]:
    """The subcommands plugins add, by name (``sgz_register_commands``)."""
    if _no_plugin_commands():
        return {}
    table: dict[str, Command] = {}
    for plugin, args in _registrations("sgz_register_commands"):
        if len(args) != 4:
            raise PluginError(
                f"plugin {plugin}: sgz_register_commands expects "
                "register(name, help, add_arguments, run)"
            )
        name, help_text, add_arguments, run = args
        if not isinstance(name, str) or not _NAME.match(name):
            raise PluginError(
                f"plugin {plugin}: command name {name!r} does not match {_NAME.pattern}"
            )
        if not isinstance(help_text, str):
            raise PluginError(f"plugin {plugin}: the help of command {name!r} is not text")
        if not callable(add_arguments) or not callable(run):
            raise PluginError(
                f"plugin {plugin}: add_arguments and run of command {name!r} must be callable"
            )
        if name in table:
            raise PluginError(
                f"command {name!r} is registered by both {table[name].plugin} and {plugin}"
            )
        table[name] = Command(name, help_text, add_arguments, run, plugin)
    return table


def plugin_rules() -> list[Rule]:
    """The rules plugins add (``sgz_register_rules``); an id sgz or another plugin has is an error."""
    from sgz_core.rules import RULES, Rule, all_rules

    all_rules()  # the built-in rules register themselves on import
    rules: dict[str, Rule] = {}
    by: dict[str, str] = {}
    for plugin, args in _registrations("sgz_register_rules"):
        if len(args) != 1 or not isinstance(args[0], Rule):
            raise PluginError(f"plugin {plugin}: sgz_register_rules expects register(Rule(...))")
        rule = args[0]
        if rule.id in RULES:
            raise PluginError(f"plugin {plugin}: rule {rule.id} is one of sgz's own rules")
        if rule.id in rules:
            raise PluginError(f"rule {rule.id} is registered by both {by[rule.id]} and {plugin}")
        rules[rule.id], by[rule.id] = rule, plugin
    return sorted(rules.values(), key=lambda r: r.sort_key)


def builtin_profiles() -> dict[str, Profile]:
    """Every built-in profile by id: sgz's own and those plugins add (``sgz_register_profiles``)."""
    from sgz_core import profiles as core_profiles
    from sgz_core.profiles import Profile

    table = dict(core_profiles.BUILTIN)
    by: dict[str, str] = {}
    for plugin, args in _registrations("sgz_register_profiles"):
        if len(args) != 1 or not isinstance(args[0], Profile):
            raise PluginError(f"plugin {plugin}: sgz_register_profiles expects register(Profile)")
        profile = args[0]
        if profile.id in core_profiles.BUILTIN:
            raise PluginError(f"plugin {plugin}: profile {profile.id!r} is one of sgz's own")
        if profile.id in table:
            raise PluginError(
                f"profile {profile.id!r} is registered by both {by[profile.id]} and {plugin}"
            )
        table[profile.id], by[profile.id] = profile, plugin
    return table


# --- Running ---------------------------------------------------------------------------------------


def only_default_check() -> bool:
    """Whether sgz's own ``sgz_check`` (:mod:`sgz_adapters.default_check`) is the only
    implementation of the hook, no plugin replacing or wrapping it (then a check may be run
    station by station, issue 12)."""
    impls = get_pm().hook.sgz_check.get_hookimpls()
    return [i.plugin_name for i in impls] == ["sgz_adapters.default_check"]


def _check_plugins() -> str:
    """The plugins other than sgz's own implementing ``sgz_check``, as a comma list."""
    impls = get_pm().hook.sgz_check.get_hookimpls()
    origin = _state.origin
    names = [i.plugin_name for i in impls if origin.get(i.plugin_name, ("",))[0] != BUILT_IN]
    return ", ".join(names) or "-"


def run_check(
    programme: Programme,
    profile: Profile,
    as_of: dt.date,
    *,
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Every finding about ``programme``: sgz's rules and plugins', through the ``sgz_check`` hook."""
    from sgz_core.rules import select_rules

    rules: Sequence[Rule] = select_rules(only, plugin_rules())
    findings: list[Finding] | None = get_pm().hook.sgz_check(
        programme=programme, profile=profile, as_of=as_of, rules=rules
    )
    if findings is None:
        raise PluginError(
            "no plugin runs the check: sgz_adapters.default_check is disabled and nothing replaces it"
        )
    from sgz_core.findings import Finding

    # sgz's own sgz_check returns a list of findings: anything else is a plugin's, named
    if not isinstance(findings, list | tuple):
        raise PluginError(
            f"sgz_check returned {type(findings).__name__}, not a list of findings; "
            f"the plugins implementing it: {_check_plugins()}"
        )
    if strays := [f for f in findings if not isinstance(f, Finding)]:
        raise PluginError(
            f"sgz_check returned a {type(strays[0]).__name__} among its findings; "
            f"the plugins implementing it: {_check_plugins()}"
        )
    return list(findings)


__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLED_PLUGINS",
    "DISTRIBUTION",
    "ENTRY_POINT_GROUP",
    "LOAD_PLUGINS",
    "Command",
    "PluginInfo",
    "PluginWarning",
    "builtin_profiles",
    "culprit",
    "disabled_plugins",
    "get_pm",
    "installed_plugins",
    "load",
    "make_notifier",
    "make_reporter",
    "notifier_factories",
    "only_default_check",
    "plugin_commands",
    "plugin_failed",
    "plugin_rules",
    "register_plugin",
    "reporter_factories",
    "reset",
    "run_check",
    "storage_factories",
    "unregister_plugin",
]
