"""Read one model's responses from the files evaluators already have.

Three formats, told apart by content:
- our JSONL: one `{"id", "response", "model"?}` object per line;
- lm-evaluation-harness `--log_samples` files (`samples_<task>_<time>.jsonl`): lines with `doc`
  (the release row, whose `id` we use) and `filtered_resps` / `resps`; the model name comes from a
  sibling `results_*.json` (`model_name`), else from the folder lm-eval named after the model;
- inspect_ai eval logs (`.eval` or `.json`), read with inspect_ai's own `read_eval_log` (the
  `.eval` zip is zstd-compressed by recent versions, so we do not parse it ourselves): sample
  `id` (or `metadata.id`) and `output.completion`; the model name is `eval.model`. A log run
  with several epochs holds one sample per (id, epoch): each becomes a `Response` with its
  `epoch`, and scoring judges every epoch and aggregates them per item (score.py).

Our shipped tasks (abstain_data/releases/evalfiles.py) are two-way multiple choice (A = answer,
B = abstain): for their logs the picked option is the verdict (`Response.choice`), read from
lm-eval's per-choice log-likelihoods or inspect_ai's `ANSWER: X` / choice score.

`model` given by the caller overrides the name found in the file. Lines that cannot be read are
UserErrors naming file and line; repeated ids (repeated (id, epoch) pairs in inspect_ai logs)
are UserErrors too, because a second answer to the same item cannot be scored silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from abstain_data.errors import UserError
from abstain_data.jsonfiles import numbered_objects

_ANSWER_LETTER = re.compile(r"ANSWER\s*:\s*([A-Z])\b")


CHOICES = ("answer", "abstain")


@dataclass(frozen=True)
class Response:
    """One model response to one release item; `where` is "FILE:LINE" (or the log sample).

    `choice` is set ("answer" / "abstain") when the model picked an option of our shipped
    multiple-choice tasks instead of writing free text; then no judge is needed. `epoch` is the
    inspect_ai epoch the response comes from (None in formats without epochs).
    """

    id: str
    text: str
    where: str
    choice: str | None = None
    epoch: int | None = None


@dataclass
class ResponseFile:
    """The responses of one model, read from one file, in file order."""

    model: str
    path: Path
    format: str
    responses: list[Response]


def read_responses(path: Path, model: str | None = None) -> ResponseFile:
    """Read `path` in whichever supported format it is in (module doc); UserError if none."""
    if not path.is_file():
        raise UserError(f"{path}: responses file not found")
    if path.suffix in (".eval", ".json"):
        found, responses = _read_inspect(path)
        fmt = "inspect_ai"
    else:
        rows = list(numbered_objects(path))
        if rows and "doc" in rows[0][1] and ("resps" in rows[0][1]
                                              or "filtered_resps" in rows[0][1]):
            found, responses = _lm_eval_model(path), [_lm_eval(path, n, r) for n, r in rows]
            fmt = "lm_eval"
        else:
            found, responses = _ours(path, rows)
            fmt = "jsonl"
    _check_unique(path, responses)
    return ResponseFile(model=model or found, path=path, format=fmt, responses=responses)



def _ours(path: Path, rows: list[tuple[int, dict[str, Any]]]) -> tuple[str, list[Response]]:
    models: set[str] = set()
    responses = []
    for number, row in rows:
        for field in ("id", "response"):
            if field not in row:
                raise UserError(f"{path}:{number}: {field}: missing")
        if not isinstance(row["response"], str | None):
            raise UserError(f"{path}:{number}: response: expected a string")
        if row.get("model"):
            models.add(str(row["model"]))
        responses.append(Response(str(row["id"]), row["response"] or "", f"{path}:{number}"))
    if len(models) > 1:
        raise UserError(f"{path}: model: one file per model, found {', '.join(sorted(models))}")
    return (models.pop() if models else path.stem), responses


def _lm_eval(path: Path, number: int, row: dict[str, Any]) -> Response:
    doc = row.get("doc")
    if not isinstance(doc, dict) or "id" not in doc:
        raise UserError(f"{path}:{number}: doc.id: missing (is this a sample log of our task?)")
    responses = row.get("filtered_resps") or row.get("resps")
    choice = _lm_eval_choice(responses)
    if choice is not None:
        return Response(str(doc["id"]), choice, f"{path}:{number}", choice)
    return Response(str(doc["id"]), _first_text(responses), f"{path}:{number}")


def _lm_eval_choice(responses: Any) -> str | None:
    """The option a multiple-choice sample picked: highest log-likelihood of the two choices.

    lm-eval logs one `[loglikelihood, is_greedy]` per choice (nested once more in `resps`),
    with both values written as strings ("-0.26", "False") by lm-eval 0.4.
    """
    if not isinstance(responses, list) or len(responses) != len(CHOICES):
        return None
    scores = []
    for entry in responses:
        while isinstance(entry, list) and entry and isinstance(entry[0], list):
            entry = entry[0]
        if not (isinstance(entry, list) and len(entry) == 2):
            return None
        try:
            scores.append(float(entry[0]))
        except (TypeError, ValueError):
            return None
    return CHOICES[max(range(len(scores)), key=scores.__getitem__)]


def _first_text(value: Any) -> str:
    """The first string inside lm-eval's (possibly nested) response lists."""
    while isinstance(value, list) and value:
        value = value[0]
    return value if isinstance(value, str) else ""


def _lm_eval_model(path: Path) -> str:
    for results in sorted(path.parent.glob("results_*.json")):
        try:
            name = json.loads(results.read_text(encoding="utf-8")).get("model_name")
        except (json.JSONDecodeError, OSError):
            continue
        if name:
            return str(name)
    return path.parent.name


def _read_inspect(path: Path) -> tuple[str, list[Response]]:
    """Model name and responses of an inspect_ai log, read with inspect_ai's own reader."""
    try:
        from inspect_ai.log import read_eval_log
    except ImportError:
        raise UserError(f"{path}: reading inspect_ai logs needs the inspect_ai package "
                        "(pip install inspect_ai)") from None
    try:
        log = read_eval_log(str(path))
    except Exception as err:  # inspect_ai raises several types for unreadable logs
        raise UserError(f"{path}: not a readable inspect_ai eval log: {err}") from None
    responses = []
    for number, sample in enumerate(log.samples or []):
        sample_id = sample.id if sample.id is not None else (sample.metadata or {}).get("id")
        if sample_id is None:
            raise UserError(f"{path}: sample {number}: id: missing")
        text = sample.output.completion or ""
        choice = _inspect_choice(sample) if sample.choices else None
        responses.append(Response(str(sample_id), choice or text,
                                  f"{path}:sample {number} (epoch {sample.epoch})", choice,
                                  sample.epoch))
    return log.eval.model or path.stem, responses


def _inspect_choice(sample: Any) -> str | None:
    """The option letter a multiple_choice() sample picked (A = answer, B = abstain), if any."""
    letters = [getattr(score, "answer", None) for score in (sample.scores or {}).values()]
    found = _ANSWER_LETTER.search(sample.output.completion or "")
    letters.append(found.group(1) if found else None)
    for letter in letters:
        if isinstance(letter, str) and len(letter) == 1 and "A" <= letter <= "B":
            return CHOICES[ord(letter) - ord("A")]
    return None


def _check_unique(path: Path, responses: list[Response]) -> None:
    """UserError when an (id, epoch) pair is answered twice in one file."""
    seen: dict[tuple[str, int | None], str] = {}
    for response in responses:
        key = (response.id, response.epoch)
        if key in seen:
            epoch = "" if response.epoch is None else f" in epoch {response.epoch}"
            raise UserError(f"{response.where}: id: {response.id} already answered{epoch} at "
                            f"{seen[key]} (one response per item and epoch and file)")
        seen[key] = response.where
