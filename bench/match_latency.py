"""Matching speed: time to rank one task's candidates, the matcher's memory, refresh latency.

    python -m bench.match_latency --experts 10000
    python -m bench.match_latency --experts 100000

A dedicated benchmark Neo4j (``var/bench-match-<experts>``, port 7693 unless ``--port``; never
the demo or test data) is filled with the deterministic demo registry of that size
(``seed.demo``, seed 57; skipped when it is there already). Then, in this process:

0. **Search index.** ``registry.search_index`` read first, as the API server does at start-up
   (the matcher credits a task text's publication hits to their authors through it); its
   time and memory are reported apart.
1. **Build.** ``Matcher.rebuild``: the index (batched reads, vectorised layout, TF-IDF); the
   evidence ranker (``matching.evidence``) is fitted in the matcher's background thread,
   timed separately (until ``TextModel.fits`` turns 1).
2. **Rank, before the evidence fit.** While that fit runs, ``Matcher.rank(task, first=20,
   excluded=20)`` (the API's default pages of candidates and of excluded ones) for the 34
   seeded tasks (by id, as the API passes them) and ``--generated`` task inputs
   drawn from the skill taxonomy (1 to 5 requirements of one area, must-haves, minimum
   levels, every role, onsite/hybrid/remote, languages, start dates). Only the ranks that
   finished before the fit are counted.
3. **Rank, evidence fitted.** The same tasks, ``--repeats`` rounds. The first round is
   reported apart ("cold": each task text's first rank with the fitted evidence ranker: its
   expanded query and the explained experts' document vectors are made anew; its full-text
   hits, read during step 2, are still cached, as they are until an expert's text changes).
   Then ``--generated`` task inputs of another seed, never ranked before, once each
   ("new_text": first sight of a text, its full-text statements in Neo4j included).
4. **Memory.** Process RSS before the build, after it, and after the fit; the largest
   arrays of the index; with ``--tracemalloc``, Python's own count of what the index and
   models hold (slower build: its timings are then not representative).
5. **Refresh.** One expert who ranks for a task is edited through
   ``registry.experts.update_expert`` (made UNAVAILABLE, then given a publication on the
   task's subject); the time from the commit to the first ranking that shows the change, and
   what the refresh touched. The profile is restored afterwards.

Every figure is wall time on this machine (``bench.support.machine``), printed as a table and
written as JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.support import bench_server, ensure_demo, machine, summary
from registry import search_index
from registry.db import Database

__all__ = ["generated_tasks", "main"]

_ROLES = ("MEMBER", "PRINCIPAL_INVESTIGATOR", "CHIEF_ENGINEER", "ADVISOR", "MEMBER")
_KINDS = ("SYSTEM", "PROJECT", "ARCHITECT")
_CITIES = ("Hanoi", "Ho Chi Minh City", "Da Nang", "Hai Phong", "Can Tho")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generated_tasks(n: int, seed: int = 11) -> list[dict[str, Any]]:
    """``n`` unsaved task inputs drawn from the skill taxonomy, deterministic for a seed."""
    from seed.demo_profiles import TECH_LIST
    from seed.reference import load_skills

    rng = random.Random(seed)
    taxonomy = load_skills()
    by_area: dict[str, list[Any]] = {}
    for s in taxonomy.skills:
        for a in s.areas:
            by_area.setdefault(a, []).append(s)
    assert taxonomy.area_list == TECH_LIST
    areas = sorted(a for a in by_area if len(by_area[a]) >= 3)
    out = []
    for i in range(n):
        area = areas[i % len(areas)]
        skills = rng.sample(by_area[area], min(len(by_area[area]), rng.randint(1, 5)))
        role = _ROLES[i % len(_ROLES)]
        onsite = ("REMOTE", "ONSITE", "HYBRID")[rng.randrange(3)]
        names = ", ".join(s.name_en for s in skills)
        doc: dict[str, Any] = {
            "title": f"{skills[0].name_vi} cho {rng.choice(('doanh nghiệp', 'nhà nước', 'đô thị', 'nông nghiệp'))}",
            "description": f"Research and deployment of {names} for national programmes.",
            "roleSought": role,
            "minYears": rng.choice((0, 3, 5, 7, 10)),
            "languages": rng.choice((["vi"], ["vi", "en"], [], ["en"])),
            "onsite": onsite,
            "techListId": TECH_LIST,
            "areas": [area],
            "requirements": [
                {"skill": s.id, "weight": round(rng.uniform(0.3, 1.0), 2),
                 "mustHave": k == 0 and rng.random() < 0.5,
                 "minLevel": rng.randint(1, 4)} for k, s in enumerate(skills)],
        }
        if role == "CHIEF_ENGINEER":
            doc["chiefEngineerKind"] = _KINDS[i % len(_KINDS)]
        if onsite != "REMOTE":
            doc["location"] = {"country": "VN", "city": rng.choice(_CITIES)}
        if rng.random() < 0.4:
            doc["start"] = f"2027-{rng.randint(1, 12):02d}-01"
        out.append(doc)
    return out


def _seeded_tasks(db: Database) -> list[str]:
    return [r["id"] for r in db.query("MATCH (t:Task) RETURN t.id AS id ORDER BY t.code")]


def _time_ranks(matcher: Any, db: Database, tasks: Sequence[Any], *, rounds: int,
                keep: Callable[[], bool] = lambda: True, cpu: list[float] | None = None
                ) -> tuple[list[float], list[float]]:
    """(first-round times, later-round times) of ``rank(first=20)``; a rank counts only when
    ``keep()`` holds after it. ``cpu`` collects the ranking thread's CPU time of each."""
    first: list[float] = []
    later: list[float] = []
    for r in range(rounds):
        for task in tasks:
            started, started_cpu = time.perf_counter(), time.thread_time()
            matcher.rank(db, task, first=20, excluded=20)  # the API's default pages
            elapsed = time.perf_counter() - started
            if not keep():
                return first, later
            (first if r == 0 else later).append(elapsed)
            if cpu is not None:
                cpu.append(time.thread_time() - started_cpu)
    return first, later


def _fmt(s: dict[str, float]) -> str:
    if not s.get("n"):
        return "n=0"
    return f"p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms, p99 {s['p99']:.1f} ms (n={s['n']})"


_PROBE = "[match_latency probe]"


def _without_probes(doc: dict[str, Any]) -> dict[str, Any]:
    from registry.profile import INPUT_KEYS

    out = {k: v for k, v in doc.items() if k in INPUT_KEYS}
    out["publications"] = [p for p in doc.get("publications") or []
                           if not str(p.get("title", "")).startswith(_PROBE)]
    return out


def _refresh_check(matcher: Any, db: Database, task_id: str) -> dict[str, Any]:
    """Edit one ranked expert; time until a ranking shows it; what the refresh touched.
    The profile is restored at the end (and first, if an earlier run was interrupted)."""
    from registry.experts import read_profile, update_expert

    ranking = matcher.rank(db, task_id, first=20)
    target = ranking.candidates[-1].expert_id
    original = read_profile(db, target)
    clean = _without_probes(original)
    if len(clean["publications"]) != len(original.get("publications") or []):
        original = update_expert(db, target, original["version"], lambda d: clean)
        ranking = matcher.rank(db, task_id, first=20)
    index = matcher.index(db)
    others = [e for e in list(index.row_of)[:2000] if e != target]
    before = {e: index.record(e) for e in others}
    fits = index.text.fits
    out: dict[str, Any] = {"expert": target}

    def until(reflected: Callable[[Any], bool]) -> tuple[float, int]:
        started = time.perf_counter()
        n = 0
        while True:
            n += 1
            r = matcher.rank(db, task_id, first=20)
            if reflected(r):
                return time.perf_counter() - started, n
            if time.perf_counter() - started > 30:
                raise RuntimeError("the change did not reach the ranking within 30 s")

    def report(seconds: float, ranks: int, committed: float) -> dict[str, Any]:
        r = matcher.last_refresh
        return {"seconds_from_commit": round(time.perf_counter() - committed, 4),
                "seconds_rank_loop": round(seconds, 4), "ranks": ranks,
                "refresh_seconds": round(r.seconds, 4) if r else None,
                "touched": list(r.touched) if r else None}

    doc = original
    try:
        # 1. A scalar change: the expert becomes unavailable and must move from the page to
        #    the excluded candidates (only the best 200 of which are listed).
        excluded = ranking.excluded_total
        doc = update_expert(db, target, doc["version"],
                            lambda d: {**d, "availability": "UNAVAILABLE"})
        committed = time.perf_counter()
        seconds, ranks = until(lambda r: r.excluded_total == excluded + 1
                               and all(c.expert_id != target for c in r.candidates))
        out["unavailable"] = report(seconds, ranks, committed)
        # 2. A text change: a publication on the task's subject raises their text similarity.
        spec = matcher.task(db, task_id)
        old_text = next((c.features["text_similarity"] for c in ranking.candidates
                         if c.expert_id == target), 0.0)
        doc = update_expert(db, target, doc["version"], lambda d: {
            **d, "availability": original.get("availability"),
            "publications": [*d.get("publications", []), {
                "title": f"{_PROBE} {spec.title}"[:300], "abstract": spec.description,
                "year": 2026}]})
        committed = time.perf_counter()

        def text_up(r: Any) -> bool:
            found = [c for c in r.candidates if c.expert_id == target]
            return bool(found) and found[0].features["text_similarity"] > old_text

        seconds, ranks = until(text_up)
        out["new_publication"] = report(seconds, ranks, committed)
        out["others_untouched"] = all(index.record(e) is before[e] for e in others)
        out["same_index"] = matcher.index(db) is index
        out["evidence_refits_during_check"] = index.text.fits - fits
    finally:
        current = read_profile(db, target)
        update_expert(db, target, current["version"], lambda d: _without_probes(original))
    return out


def _largest_arrays(index: Any) -> dict[str, float]:
    import numpy as np
    import scipy.sparse as sp

    def size(x: Any) -> int:
        if isinstance(x, np.ndarray):
            return x.nbytes
        if sp.issparse(x):
            x = x.tocsr() if not hasattr(x, "indptr") else x
            return x.data.nbytes + x.indices.nbytes + x.indptr.nbytes
        return 0

    sizes: dict[str, float] = {}
    for owner, obj in (("index", index), ("text", index.text)):
        for k, v in vars(obj).items():
            n = size(v)
            if isinstance(v, tuple):
                n = sum(size(x) for x in v)
            if n > 2**20:
                sizes[f"{owner}.{k}"] = round(n / 2**20, 1)
    return sizes


def _note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(experts: int, port: int, *, generated: int, repeats: int, use_tracemalloc: bool,
        seed: int = 57, out: dict[str, Any] | None = None) -> dict[str, Any]:
    from matching.service import Matcher
    from seed.demo_profiles import REFERENCE_DATE

    server, db = bench_server(f"match-{experts}", port)
    out = {} if out is None else out
    out.update({"experts": experts, "machine": machine(), "port": port})
    try:
        seeded = ensure_demo(db, experts, seed=seed)
        out["seed_seconds"] = round(seeded, 1)
        out["documents"] = db.query(
            "MATCH (w) WHERE w:Publication OR w:Project RETURN count(w) AS n")[0]["n"]
        task_ids = _seeded_tasks(db)
        inputs = generated_tasks(generated)
        tasks: list[Any] = [*task_ids, *inputs]
        # The search index the API server reads at start-up (``registry.search_index``):
        # the matcher credits a text's publication hits to their authors through it.
        gc.collect()
        rss_search = _rss_mb()
        started = time.perf_counter()
        search_index.warm(db)
        while search_index.index_for(db) is None:
            time.sleep(0.2)
        out["search_index_seconds"] = round(time.perf_counter() - started, 2)
        gc.collect()
        rss0 = _rss_mb()
        out["search_index_rss_mb"] = round(rss0 - rss_search, 1)
        _note(f"search index read in {out['search_index_seconds']} s")
        if use_tracemalloc:
            tracemalloc.start()
        model_dir = Path(tempfile.mkdtemp(prefix="match-latency-models-"))
        matcher = Matcher(model_dir=model_dir, text_refit="background", today=REFERENCE_DATE)
        started = time.perf_counter()
        index = matcher.rebuild(db)
        out["build_seconds"] = round(time.perf_counter() - started, 2)
        _note(f"index built in {out['build_seconds']} s")
        built_at = time.perf_counter()
        out["rss_after_build_mb"] = round(_rss_mb(), 1)
        text = index.text
        # Ranks while the evidence ranker is being fitted (TF-IDF stands in for it).
        cpu_before: list[float] = []
        before_first, before_later = _time_ranks(matcher, db, tasks, rounds=repeats,
                                                 keep=lambda: text.fits == 0, cpu=cpu_before)
        out["rank_before_fit"] = {"cold": summary(before_first),
                                  "warm": summary(before_later),
                                  "all": summary(before_first + before_later),
                                  "cpu_all": summary(cpu_before)}
        _note(f"before the fit: {_fmt(out['rank_before_fit']['all'])}")
        text.wait_for_refit()
        out["evidence_fit_seconds_after_build"] = round(time.perf_counter() - built_at, 2)
        _note(f"evidence fitted {out['evidence_fit_seconds_after_build']} s after the build")
        fit_log = getattr(text, "last_fit_seconds", None)
        if fit_log is not None:
            out["evidence_fit_seconds"] = round(fit_log, 2)
        gc.collect()
        out["rss_after_fit_mb"] = round(_rss_mb(), 1)
        out["matcher_rss_delta_mb"] = round(out["rss_after_fit_mb"] - rss0, 1)
        if use_tracemalloc:
            current, peak = tracemalloc.get_traced_memory()
            out["tracemalloc_current_mb"] = round(current / 2**20, 1)
            out["tracemalloc_peak_mb"] = round(peak / 2**20, 1)
            tracemalloc.stop()
        out["largest_arrays_mb"] = _largest_arrays(index)
        cpu_fitted: list[float] = []
        first, later = _time_ranks(matcher, db, tasks, rounds=repeats, cpu=cpu_fitted)
        out["rank_fitted"] = {"cold": summary(first), "warm": summary(later),
                              "all": summary(first + later), "cpu_all": summary(cpu_fitted),
                              "saved_tasks": summary(
                                  [t for t, k in zip(first, tasks) if isinstance(k, str)]),
                              }
        # Saved tasks vs inputs over the warm rounds.
        n = len(tasks)
        saved = [t for i, t in enumerate(later) if isinstance(tasks[i % n], str)]
        given = [t for i, t in enumerate(later) if not isinstance(tasks[i % n], str)]
        out["rank_fitted"]["warm_saved_tasks"] = summary(saved)
        out["rank_fitted"]["warm_task_inputs"] = summary(given)
        seen = {(t["title"], t["description"]) for t in inputs}
        fresh = [t for t in generated_tasks(generated, seed=12)
                 if (t["title"], t["description"]) not in seen]
        new_text, _ = _time_ranks(matcher, db, fresh, rounds=1)
        out["rank_fitted"]["new_text"] = summary(new_text)
        ranking = matcher.rank(db, task_ids[0], first=20)
        out["candidates_retrieved_first_task"] = ranking.retrieved
        _note(f"fitted: {_fmt(out['rank_fitted']['all'])}")
        out["refresh"] = _refresh_check(matcher, db, task_ids[0])
        out["rss_end_mb"] = round(_rss_mb(), 1)
        out["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    finally:
        db.close()
        server.stop()
    return out


def _print(out: dict[str, Any]) -> None:
    print(f"machine: {out['machine']}")
    print(f"experts: {out['experts']:,}  documents (publications + projects): "
          f"{out['documents']:,}")
    print(f"index build: {out['build_seconds']} s; evidence fit (background, until fitted): "
          f"{out['evidence_fit_seconds_after_build']} s"
          + (f" (fit itself {out['evidence_fit_seconds']} s)"
             if "evidence_fit_seconds" in out else ""))
    for key, label in (("rank_before_fit", "rank, first=20, before the evidence fit"),
                       ("rank_fitted", "rank, first=20, evidence fitted")):
        for part, s in out[key].items():
            print(f"{label} [{part}]: {_fmt(s)}")
    print(f"RSS: after build {out['rss_after_build_mb']} MB, after fit {out['rss_after_fit_mb']}"
          f" MB, matcher delta {out['matcher_rss_delta_mb']} MB, process peak "
          f"{out['peak_rss_mb']} MB; the search index (read first, shared with search, not in "
          f"the delta) {out['search_index_rss_mb']} MB in {out['search_index_seconds']} s")
    if "tracemalloc_current_mb" in out:
        print(f"tracemalloc: index + models {out['tracemalloc_current_mb']} MB, peak "
              f"{out['tracemalloc_peak_mb']} MB")
    print(f"largest arrays (MB): {out['largest_arrays_mb']}")
    r = out["refresh"]
    for key in ("unavailable", "new_publication"):
        x = r[key]
        print(f"refresh ({key}): reflected {x['seconds_from_commit'] * 1000:.0f} ms after the "
              f"commit ({x['ranks']} ranks), refresh {x['refresh_seconds']} s, touched "
              f"{x['touched']}")
    print(f"refresh: others untouched {r['others_untouched']}, same index {r['same_index']}, "
          f"evidence refits {r['evidence_refits_during_check']}")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--experts", type=int, default=10000)
    p.add_argument("--port", type=int, default=7693)
    p.add_argument("--generated", type=int, default=40, help="generated task inputs")
    p.add_argument("--repeats", type=int, default=3, help="rounds over the task set")
    p.add_argument("--tracemalloc", action="store_true")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    out: dict[str, Any] = {}
    try:
        run(args.experts, args.port, generated=args.generated, repeats=args.repeats,
            use_tracemalloc=args.tracemalloc, out=out)
        _print(out)
    finally:
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(out, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
