"""``make bench`` (``python -m bench``): docgen against the raw libraries doing the same work,
measured in the same run, each figure the median of several runs in fresh processes, every
ratio printed in one table and written to ``bench/results/latest.json``.

Sizes: ``default`` (10,000-row workbook, 200 documents, scale 100 and 1,000), ``large``
(scale up to 10,000 documents), ``tiny`` (a few of each: the test suite runs it so the bench
never rots).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.data import write_attendance_csv, write_reports_json, write_reports_workbook

ROOT = Path(__file__).resolve().parent.parent
SIZES: dict[str, dict[str, Any]] = {
    # tiny: the test suite's run, so the bench never rots (LibreOffice left out: its start
    # alone would take longer than the rest)
    # (twice each: a second run must make its documents again, in a folder of its own)
    "tiny": {"rows": 60, "documents": 3, "scale": (2, 4), "repeat": 2, "libreoffice": False,
             "letters": 4},
    "default": {"rows": 10_000, "documents": 200, "scale": (100, 1_000), "repeat": 3,
                "letters": 1_000},
    "large": {"rows": 10_000, "documents": 200, "scale": (100, 1_000, 10_000), "repeat": 3,
              "letters": 1_000},
}


def measure(case: str, *args: Any) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.measure", case, *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench case {case} failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if "written" in result and not result["written"]:
        raise SystemExit(f"bench case {case} {args} wrote nothing: a docgen run must make "
                         "its documents, not find them made by an earlier run")
    return result


def median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


def paired(repeat: int, *cases: tuple[str, Any]) -> list[list[dict[str, Any]]]:
    """Run the cases in turn ``repeat`` times (alternating, so load on the machine falls on
    every side alike). A case's arguments are a tuple, or a function of the repetition's
    number giving them (a docgen run needs a folder and a register of its own each time: a
    rerun into the same ones would find every document already made, and write nothing)."""
    out: list[list[dict[str, Any]]] = [[] for _ in cases]
    for n in range(repeat):
        for i, (case, args) in enumerate(cases):
            out[i].append(measure(case, *(args(n) if callable(args) else args)))
    return out


def soffice_convert(source: Path, folder: Path) -> Path | None:
    """``source`` saved again by LibreOffice: shared strings, as Excel writes a workbook."""
    if shutil.which("soffice") is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--norestore", "--calc", "--convert-to", "xlsx",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True)
    return folder / source.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--size", choices=sorted(SIZES), default=os.environ.get("SIZE")
                        or "default")
    parser.add_argument("--only", choices=("all", "letters"), default="all",
                        help="letters: only the letters' cases")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--results", type=Path,
                        default=ROOT / "bench" / "results" / "latest.json")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    repeat = size["repeat"]
    work = args.work / args.size
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    figures: dict[str, Any] = {}
    rows: list[tuple[str, str, str, str, str]] = []

    def row(case: str, docgen_side: str, baseline: str, ratio: float, target: str,
            ok: bool | None) -> None:
        verdict = "" if ok is None else " ok" if ok else " MISSED"
        rows.append((case, docgen_side, baseline, f"{ratio:.2f}x", f"{target}{verdict}"))

    if args.only == "letters":
        with_lo = size.get("libreoffice", True) and shutil.which("soffice") is not None
        letters_section(size, work, repeat, with_lo, figures, rows, row)
        return _finish(args, repeat, figures, rows)

    # ------------------------------------------------------------ validate
    print(f"making a {size['rows']:,}-row workbook ...", file=sys.stderr)
    book = write_reports_workbook(work / "visit-reports.xlsx", size["rows"])
    with_lo = size.get("libreoffice", True) and shutil.which("soffice") is not None
    saved = (soffice_convert(book, work / "as-saved") if with_lo else None) or book
    raw, ours = paired(repeat, ("validate-raw", (saved,)), ("validate-docgen", (saved,)))
    t_ratio = median(ours, "seconds") / median(raw, "seconds")
    # each process's own peak: ru_maxrss would start from the bench's (it survives exec)
    m_ratio = median(ours, "own_peak_kb") / median(raw, "own_peak_kb")
    figures["validate"] = {"rows": size["rows"], "workbook": "saved by LibreOffice"
                           if saved != book else "written by openpyxl",
                           "docgen": ours, "openpyxl": raw, "time_ratio": t_ratio,
                           "memory_ratio": m_ratio}
    row(f"validate {size['rows']:,} rows", f"{median(ours, 'seconds'):.2f} s",
        f"{median(raw, 'seconds'):.2f} s openpyxl", t_ratio, "time <= 1.5x", t_ratio <= 1.5)
    row("  peak memory", f"{median(ours, 'own_peak_kb') / 1024:.0f} MB",
        f"{median(raw, 'own_peak_kb') / 1024:.0f} MB", m_ratio, "<= 1.5x", m_ratio <= 1.5)

    # ------------------------------------------------------------ documents
    n = size["documents"]
    source = write_reports_json(work / f"reports-{n}.json", n)

    def throughput(fmt: str, baseline: str, name: str, target: float) -> list[dict[str, Any]]:
        """docgen making ``n`` documents of ``fmt`` against ``baseline`` doing the same."""
        raw_runs, ours = paired(
            repeat, (f"{fmt}-raw", lambda i: (source, work / f"{fmt}-raw-{i}")),
            ("docgen-render", lambda i: (source, work / f"{fmt}-docgen-{i}", fmt, 0,
                                         work / f"{fmt}-docgen-{i}.sqlite")))
        ratio = median(raw_runs, "seconds") / median(ours, "seconds")
        figures[fmt] = {"documents": n, "docgen": ours, baseline: raw_runs,
                        "throughput_ratio": ratio}
        row(f"{fmt.upper()} {n} reports", f"{n / median(ours, 'seconds'):.1f} docs/s",
            f"{n / median(raw_runs, 'seconds'):.1f} docs/s {name}", ratio,
            f">= {target:g}x", ratio >= target)
        return ours

    pdf_ours = throughput("pdf", "weasyprint_loop", "WeasyPrint loop", 1.8)
    throughput("docx", "docxtpl_loop", "docxtpl loop", 3)

    if with_lo:
        lo_runs = [measure("libreoffice", work / "docx-docgen-0", work / f"lo-{i}")
                   for i in range(repeat)]
        lo_ratio = median(lo_runs, "seconds") / median(pdf_ours, "seconds")
        figures["libreoffice"] = {"documents": n, "runs": lo_runs, "ratio_vs_docgen_pdf":
                                  lo_ratio}
        row(f"PDF {n} reports vs LibreOffice", f"{n / median(pdf_ours, 'seconds'):.1f} docs/s",
            f"{n / median(lo_runs, 'seconds'):.1f} docs/s soffice from DOCX", lo_ratio,
            ">= 3x", lo_ratio >= 3)
    else:
        figures["libreoffice"] = {"skipped": "soffice is not installed (make bench installs it)"
                                  if size.get("libreoffice", True) else "not at this size"}
        rows.append(("PDF vs LibreOffice", "-", "-", "-", "skipped"))

    # ------------------------------------------------------------ scale
    scale: list[dict[str, Any]] = []
    for count in size["scale"]:
        src = write_reports_json(work / f"scale-{count}.json", count)
        runs = [measure("docgen-render", src, work / f"scale-{count}-{i}", "pdf", 0,
                        work / f"scale-{count}-{i}.sqlite") for i in range(repeat)]
        scale.append({"documents": count, "runs": runs,
                      "seconds_per_document": median(runs, "seconds") / count,
                      "rss_kb": median(runs, "own_peak_kb"),
                      "worker_rss_kb": median(runs, "children_rss_kb")})
    first, last = scale[0], scale[-1]
    rss_growth = last["rss_kb"] / first["rss_kb"]
    worker_growth = last["worker_rss_kb"] / max(first["worker_rss_kb"], 1)
    per_doc = last["seconds_per_document"] / first["seconds_per_document"]
    figures["scale"] = {"sizes": scale, "rss_growth": rss_growth,
                        "worker_rss_growth": worker_growth, "time_per_document_ratio": per_doc}
    for entry in scale:
        rows.append((f"scale {entry['documents']:,} PDFs",
                     f"{entry['seconds_per_document'] * 1000:.0f} ms/doc",
                     f"{entry['rss_kb'] / 1024:.0f} MB + worker "
                     f"{entry['worker_rss_kb'] / 1024:.0f} MB", "", ""))
    row("  memory, largest/smallest", f"{rss_growth:.2f}x", f"worker {worker_growth:.2f}x",
        max(rss_growth, worker_growth), "<= 1.2x", max(rss_growth, worker_growth) <= 1.2)
    row("  time/doc, largest/smallest", f"{per_doc:.2f}x", "", per_doc, "within 10%",
        abs(per_doc - 1) <= 0.10)

    # ------------------------------------------------------------ letters
    letters_section(size, work, repeat, with_lo, figures, rows, row)
    return _finish(args, repeat, figures, rows)


def _finish(args: Any, repeat: int, figures: dict[str, Any],
            rows: list[tuple[str, str, str, str, str]]) -> int:
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(),
               "platform": platform.platform(), "size": args.size, "repeat": repeat,
               "only": args.only, "date": dt.datetime.now().isoformat(timespec="seconds"),
               "commit": _commit()}
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps({"machine": machine, "figures": figures}, indent=2)
                            + "\n", "utf-8")
    _print_table(rows, machine)
    print(f"\nwritten {args.results}")
    return 0


def letters_section(size: dict[str, Any], work: Path, repeat: int, with_lo: bool,
                    figures: dict[str, Any], rows: list[tuple[str, str, str, str, str]],
                    row: Any) -> None:
    """Attendance letters: docgen against a plain WeasyPrint loop, LibreOffice and a plain
    docxtpl loop on the same letters; and letters.pdf's memory as the letters grow tenfold.
    Each docgen run has a folder and a register of its own (a rerun into the same ones would
    find every letter already made)."""
    n = size["letters"]
    print(f"making {n:,} attendance letters ...", file=sys.stderr)
    source = write_attendance_csv(work / f"attendance-{n}.csv", n)
    pdf_raw, pdf_batched, pdf_ours, docx_raw, docx_ours = [], [], [], [], []
    for i in range(repeat):
        pdf_raw.append(measure("letters-pdf-raw", source, work / f"letters-pdf-raw-{i}"))
        pdf_batched.append(measure("letters-pdf-batched-raw", source,
                                   work / f"letters-pdf-batched-{i}"))
        pdf_ours.append(measure("docgen-letters", source, work / f"letters-pdf-{i}", "pdf",
                                work / f"letters-pdf-{i}.sqlite"))
        docx_raw.append(measure("letters-docx-raw", source, work / f"letters-docx-raw-{i}"))
        docx_ours.append(measure("docgen-letters", source, work / f"letters-docx-{i}", "docx",
                                 work / f"letters-docx-{i}.sqlite"))
    pdf_ratio = median(pdf_raw, "seconds") / median(pdf_ours, "seconds")
    docx_ratio = median(docx_raw, "seconds") / median(docx_ours, "seconds")
    figures["letters_pdf"] = {"letters": n, "docgen": pdf_ours, "weasyprint_loop": pdf_raw,
                              "throughput_ratio": pdf_ratio}
    figures["letters_docx"] = {"letters": n, "docgen": docx_ours, "docxtpl_loop": docx_raw,
                               "throughput_ratio": docx_ratio}
    row(f"PDF {n:,} letters", f"{n / median(pdf_ours, 'seconds'):.1f} letters/s",
        f"{n / median(pdf_raw, 'seconds'):.1f} letters/s WeasyPrint loop", pdf_ratio,
        ">= 2.5x", pdf_ratio >= 2.5)
    # not a target: how much laying letters out together saves in WeasyPrint itself, the
    # most docgen's batches can gain over the loop beyond the cores it uses
    batching = median(pdf_raw, "seconds") / median(pdf_batched, "seconds")
    per_document = pdf_batched[0]["per_document"]
    figures["letters_pdf_batched"] = {"letters": n, "letters_per_document": per_document,
                                      "weasyprint_batched": pdf_batched,
                                      "weasyprint_loop": pdf_raw, "throughput_ratio": batching}
    row(f"  WeasyPrint, {per_document} letters a document",
        f"{n / median(pdf_batched, 'seconds'):.1f} letters/s",
        f"{n / median(pdf_raw, 'seconds'):.1f} letters/s one a document", batching,
        "(no target)", None)
    row(f"DOCX {n:,} letters", f"{n / median(docx_ours, 'seconds'):.1f} letters/s",
        f"{n / median(docx_raw, 'seconds'):.1f} letters/s docxtpl loop", docx_ratio,
        ">= 3x", docx_ratio >= 3)
    if with_lo:
        lo_runs = [measure("libreoffice", work / "letters-docx-0", work / f"letters-lo-{i}")
                   for i in range(repeat)]
        lo_ratio = median(lo_runs, "seconds") / median(pdf_ours, "seconds")
        figures["letters_libreoffice"] = {"letters": n, "runs": lo_runs,
                                          "ratio_vs_docgen_pdf": lo_ratio}
        row(f"PDF {n:,} letters vs LibreOffice",
            f"{n / median(pdf_ours, 'seconds'):.1f} letters/s",
            f"{n / median(lo_runs, 'seconds'):.1f} letters/s soffice from DOCX", lo_ratio,
            ">= 3x", lo_ratio >= 3)
    else:
        figures["letters_libreoffice"] = {"skipped": "soffice is not installed"
                                          if size.get("libreoffice", True) else
                                          "not at this size"}
        rows.append(("letters vs LibreOffice", "-", "-", "-", "skipped"))
    few = max(1, n // 10)
    small = [measure("letters-combine", work / "letters-pdf-0", few,
                     work / f"letters-{few}-{i}.pdf") for i in range(repeat)]
    big = [measure("letters-combine", work / "letters-pdf-0", n, work / f"letters-{n}-{i}.pdf")
           for i in range(repeat)]
    # the process's own peak (ru_maxrss would start from the bench's own)
    growth = median(big, "own_peak_kb") / median(small, "own_peak_kb")
    figures["letters_combined_pdf"] = {
        "small": small, "large": big, "memory_growth": growth,
        "size_of_letters_pdf": big[0]["size"], "size_of_the_letters": big[0]["letters_size"]}
    row(f"letters.pdf {few:,} -> {n:,} letters",
        f"{median(big, 'own_peak_kb') / 1024:.0f} MB",
        f"{median(small, 'own_peak_kb') / 1024:.0f} MB for {few:,}", growth, "memory <= 1.2x",
        growth <= 1.2)


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _print_table(rows: list[tuple[str, str, str, str, str]], machine: dict[str, Any]) -> None:
    print(f"\ndocgen bench ({machine['size']}; medians of {machine['repeat']}; "
          f"{machine['cpus']} cores; {machine['date']})")
    head = ("case", "docgen", "baseline", "ratio", "target")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(5)]
    for r in [head, *rows]:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(r)).rstrip())


if __name__ == "__main__":
    sys.exit(main())
