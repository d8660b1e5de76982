"""The Jinja environment chapters run in, and compiled chapter code shared across renders.

An immutable sandbox with ``StrictUndefined``, autoescaping and no globals
but the chapter functions (:mod:`esgpress.render.vocabulary`), so a chapter
cannot reach Python internals and a typo fails loudly. The chapter language
check that runs before it (:mod:`esgpress.render.sandbox`) is the first wall;
this sandbox is the second.
"""

from __future__ import annotations

from types import CodeType, TracebackType

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment


def make_environment() -> ImmutableSandboxedEnvironment:
    """Make the sandbox chapters run in: no globals but ours, strict undefined, escaping on."""
    env = ImmutableSandboxedEnvironment(
        # Heading anchors are written {#key} (attr_list), which is Jinja's comment
        # syntax; chapter comments are {## … ##} instead.
        comment_start_string="{##",
        comment_end_string="##}",
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.globals.clear()  # only the documented functions exist in a chapter
    return env


#: Compiled chapter templates by source text (see :func:`compiled`). Outside the
#: Remembered rule on purpose: keyed by the text itself (the code depends on
#: nothing else, every environment having the same settings) and bounded below.
_COMPILED: dict[str, CodeType] = {}
#: How many compiled chapters a process keeps; a 10x synthetic report has about 70 per language.
COMPILED_LIMIT = 512


def compiled(env: ImmutableSandboxedEnvironment, text: str) -> CodeType:
    """Check and compile a chapter's template text, once per text and process.

    The live preview renders the whole edition on every save (footnote numbers
    and cross-references run through all chapters), so the chapters that did
    not change reuse their compiled code. Every environment from
    :func:`make_environment` has the same settings, so the code is shared.
    """
    code = _COMPILED.get(text)
    if code is None:
        code = env.compile(text)
        if len(_COMPILED) >= COMPILED_LIMIT:
            _COMPILED.clear()
        _COMPILED[text] = code
    return code


def traceback_line(tb: TracebackType | None) -> int:
    """Return the template line of the innermost template frame in a traceback."""
    line = 0
    while tb is not None:
        tmpl = tb.tb_frame.f_globals.get("__jinja_template__")
        if tmpl is not None:
            line = int(tmpl.get_corresponding_lineno(tb.tb_lineno))
        elif tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
