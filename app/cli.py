"""The `gatescope` command: serve, trace, evaluate, train, export."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .core import Clamp, ClampError, ModelFormatError, Trace, UnknownModelError, load_model


def _parse_clamp(spec: str) -> Clamp:
    """GATE=VALUE, e.g. forget=1.0: pin that gate at every step, unit and layer."""
    gate, sep, value = spec.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"--clamp takes GATE=VALUE, e.g. forget=1.0; got {spec!r}")
    try:
        return Clamp(gate=gate.strip(), value=float(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--clamp value must be a number, got {value!r}") from None


def format_table(trace: Trace) -> str:
    """One row per token: the top label's probability and the mean of each gate (top layer)."""
    gate_names = list(trace.gates)
    header = ["t", "token", "prediction"] + [f"{name} (mean)" for name in gate_names]
    rows = [header]
    for t, token in enumerate(trace.tokens):
        top = int(trace.probs[t].argmax())
        shown = token if trace.known[t] else f"{token} (unknown)"
        row = [str(t), shown, f"{trace.labels[top]} {trace.probs[t, top]:.3f}"]
        row += [f"{trace.gates[name][t, -1].mean():.3f}" for name in gate_names]
        rows.append(row)
    widths = [max(len(r[k]) for r in rows) for k in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _trace(args: argparse.Namespace) -> int:
    model = load_model(args.model_dir if args.model_dir else args.model)
    trace = model.trace(args.text, clamp=args.clamp or None)
    if args.json:
        print(json.dumps(trace.to_dict(), ensure_ascii=False))
    else:
        print(f"{model.name} ({model.config.kind}, {model.config.hidden_size} units): "
              f"{len(trace)} tokens")
        print(format_table(trace))
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

    return export_command(args.text, model=args.model, view=args.view, out=args.out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gatescope", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the web app")
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 8000)")
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
                   help="pin a gate at every step, e.g. forget=1.0 (repeatable)")
    p.set_defaults(run=_trace)

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
