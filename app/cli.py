"""The `gatescope` command: serve, trace, gradients, evaluate, train, export."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import NoReturn

from .core import Clamp, ClampError, ModelFormatError, Trace, UnknownModelError, load_model


def package_version() -> str:
    """The installed distribution's version; "0" in a source tree that was never installed."""
    try:
        return metadata.version("gatescope")
    except metadata.PackageNotFoundError:
        return "0"


def _parse_clamp(spec: str) -> Clamp:
    """GATE=VALUE, e.g. forget=1.0: pin that gate at every step, unit and layer; GATE=VALUE@reverse
    (or @forward) pins one direction of a bidirectional model only."""
    gate, sep, value = spec.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"--clamp takes GATE=VALUE, e.g. forget=1.0; got {spec!r}")
    value, at, direction = value.partition("@")
    try:
        return Clamp(gate=gate.strip(), value=float(value),
                     direction=direction.strip() if at else None)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--clamp value must be a number, got {value!r}") from None


# C0 and C1 control characters (ESC, BEL, ...) would act on the terminal rather than show.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """`text` with every control character written as an escape (ESC as \\x1b), for a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def utf8_text(text: str) -> str:
    """A command-line argument as valid Unicode. Bytes that are not UTF-8 reach Python as lone
    surrogates (U+DC80-U+DCFF), which would be written back out as invalid UTF-8: they become
    U+FFFD, and stderr says so."""
    clean = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if clean != text:
        count = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
        print(f"gatescope: the text held {count} byte(s) that are not UTF-8; each was replaced "
              "by U+FFFD (\N{REPLACEMENT CHARACTER})", file=sys.stderr)
    return clean


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port takes a number, got {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port must be from 0 to 65535, got {port}")
    return port


def format_table(trace: Trace) -> str:
    """One row per token: the top label's probability and the mean of each gate (top layer)."""
    gate_names = list(trace.gates)
    header = ["t", "token", "prediction"] + [f"{name} (mean)" for name in gate_names]
    rows = [header]
    for t, token in enumerate(trace.tokens):
        top = int(trace.probs[t].argmax())
        word = shown(token) if trace.known[t] else f"{shown(token)} (unknown)"
        row = [str(t), word, f"{trace.labels[top]} {trace.probs[t, top]:.3f}"]
        row += [f"{trace.gates[name][t, -1].mean():.3f}" for name in gate_names]
        rows.append(row)
    widths = [max(len(r[k]) for r in rows) for k in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _trace(args: argparse.Namespace) -> int:
    model = load_model(args.model_dir if args.model_dir else args.model)
    trace = model.trace(utf8_text(args.text), clamp=args.clamp or None)
    if args.json:
        print(json.dumps(trace.to_dict(), ensure_ascii=False))
    else:
        both = ", bidirectional: the gates below are the forward reader's" \
            if model.config.bidirectional else ""
        print(f"{model.name} ({model.config.kind}, {model.config.hidden_size} units{both}): "
              f"{len(trace)} tokens")
        print(format_table(trace))
        print(verdict_line(trace))
    return 0


def verdict_line(trace: Trace) -> str:
    """The model's answer on the whole text, and what its head read for it."""
    top = int(trace.verdict.argmax())
    read = "both readers' final states, each having read every word" \
        if trace.model.verdict_from_final_states else "the head at the last word"
    return (f"verdict ({read}): {trace.labels[top]} {trace.verdict[top]:.3f} — "
            + ", ".join(f"{label} {p:.3f}" for label, p in zip(trace.labels, trace.verdict, strict=True)))


def _gradients(args: argparse.Namespace) -> int:
    from .core.gradients import gradients
    from .core.tokenizer import tokenize

    model = load_model(args.model)
    result = gradients(model, tokenize(args.text), args.label, args.clamp or None, text=args.text)
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        print(f"{model.name} ({model.config.kind}): {len(result.tokens)} tokens, label {result.label}")
        print(result.table())
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .api.serve import serve

    serve(host=args.host, port=args.port, models_dir=args.models_dir, reload=args.reload)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from .train.evaluate import evaluate_command

    return evaluate_command(args.model, as_json=args.json, suite=args.suite)


def _export(args: argparse.Namespace) -> int:
    from .figures.export import export_command

    return export_command(utf8_text(args.text), model=args.model, view=args.view, out=args.out,
                          direction=args.direction)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gatescope", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    parser.add_argument("--version", action="version", version=f"gatescope {package_version()}")

    p = sub.add_parser("serve", help="run the web app")
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=None, help="port (default 8000)")
    p.add_argument("--models-dir", type=Path, default=None,
                   help="a folder of extra model directories to serve beside the shipped ones")
    p.add_argument("--reload", action="store_true", help="restart when the code changes")
    p.set_defaults(run=_serve)

    p = sub.add_parser("trace", help="trace a sentence and print every step")
    p.add_argument("text")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--model", default="lstm", help="a shipped model's name (default lstm)")
    which.add_argument("--model-dir", type=Path, help="a model directory of your own")
    p.add_argument("--json", action="store_true", help="print the whole trace as JSON")
    p.add_argument("--clamp", type=_parse_clamp, action="append", metavar="GATE=VALUE",
                   help="pin a gate at every step, e.g. forget=1.0 (repeatable); forget=1.0@reverse "
                        "pins one direction of a bidirectional model")
    p.set_defaults(run=_trace)

    p = sub.add_parser("gradients", help="exact gradients: how strongly each word can still move "
                       "the prediction at the last word, and each step's Jacobian norm")
    p.add_argument("text")
    p.add_argument("--model", default="lstm", help="a shipped model's name or a model directory")
    p.add_argument("--label", default=None, help="the label to differentiate (default: predicted)")
    p.add_argument("--clamp", type=_parse_clamp, action="append", metavar="GATE=VALUE",
                   help="pin a gate at every step, e.g. forget=1.0 (repeatable)")
    p.add_argument("--json", action="store_true", help="the POST /api/connectivity JSON, full precision")
    p.set_defaults(run=_gradients)

    p = sub.add_parser("evaluate", help="accuracy of a shipped model on the held-out test split "
                                        "and per category of the behavioural suite")
    p.add_argument("--model", required=True, help="a shipped model's name, e.g. lstm")
    p.add_argument("--json", action="store_true", help='print {"model", "accuracy", "n", ...}')
    p.add_argument("--suite", action="store_true",
                   help="only the behavioural suite, per category, both parts (data/behaviour/)")
    p.set_defaults(run=_evaluate)

    # Listed for `gatescope --help` only: main() hands `train ...` to app/train/train.py's parser.
    sub.add_parser("train", help="train a model (needs the 'train' extra); see train --help",
                   add_help=False)

    p = sub.add_parser("export", help="write one view of a trace to .html, .png, .svg, .json or .csv")
    p.add_argument("text", help="the sentence or review to trace")
    p.add_argument("--model", default="lstm",
                   help="a shipped model's name or a model directory (default lstm); for --view "
                        "compare, several separated by commas: lstm,gru,rnn")
    p.add_argument("--view", default="highway",
                   help="highway, gates, cell, memory, whiteboard, prediction or compare "
                        "(default highway; ignored for .json and .csv)")
    p.add_argument("--direction", choices=("forward", "reverse", "both"), default="forward",
                   help="a bidirectional model's direction for the view (default forward); "
                        "both: the highway as two roads, one each way")
    p.add_argument("--out", type=Path, required=True,
                   help="the file to write; its extension picks the format: .html .json .csv .png .svg")
    p.set_defaults(run=_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["train"]:
        # train has its own parser; an argparse.REMAINDER sub-command would refuse arguments that
        # start with an option ("train --kind lstm": "unrecognized arguments: --kind").
        from .train.train import main as train_main

        return train_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (UnknownModelError, ModelFormatError, ClampError, ValueError) as exc:
        print(f"gatescope: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
