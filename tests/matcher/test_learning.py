"""The learning loop: decisions with a consistent preference teach the learned ranker, which
then ranks held-out tasks' candidates by that preference better than the fixed weights."""

from __future__ import annotations

import argparse
import io

import numpy as np
import pytest

from matching.cli import run_matcher_command
from matching.training import average_precision, cross_validate, ndcg_at_k, training_set
from registry.accounts import create_account
from registry.db import Database
from registry.decisions import record_decision
from registry.programmes import create_task

from .conftest import add, skill, task_input

TOPICS = ["trợ lý ảo", "tóm tắt văn bản", "dịch máy", "hỏi đáp pháp luật", "chatbot y tế",
          "phân tích cảm xúc", "sinh mã nguồn", "giáo dục trực tuyến"]


@pytest.fixture
def decided(db: Database):
    """36 experts; half hold a patent that is in use. Eight tasks; on each the lead selects
    every candidate with a patent in use and rejects the others."""
    rng = np.random.default_rng(57)
    experts, applied = [], {}
    for i in range(36):
        has = bool(i % 2)
        patents = [{"title": f"Sáng chế {i}", "granted": True, "applied": True}] if has else (
            [{"title": f"Sáng chế {i}", "granted": True, "applied": False}] if i % 4 == 0
            else [])
        eid = add(db, f"e{i}", yearsExperience=int(rng.integers(3, 25)),
                  hIndex=int(rng.integers(0, 30)), citations=int(rng.integers(0, 3000)),
                  verified=bool(rng.integers(0, 2)), patents=patents,
                  skills=[skill("large-language-models", int(rng.integers(2, 6))),
                          skill("transformers", int(rng.integers(1, 6)))],
                  publications=[{"title": f"Language models for {TOPICS[i % 8]}",
                                 "year": int(rng.integers(2012, 2026))}])
        experts.append(eid)
        applied[eid] = has
    lead = create_account(db, name="Lead", role="PROGRAMME_LEAD")[0].id
    tasks = []
    for k, topic in enumerate(TOPICS):
        task = create_task(db, posted_by=lead, data=task_input(
            title=f"Mô hình ngôn ngữ cho {topic}", status="OPEN",
            requirements=[{"skill": "large-language-models"}, {"skill": "transformers",
                                                               "weight": 0.5}]))
        tasks.append(task.id)
        for eid in rng.choice(experts, size=12, replace=False):
            record_decision(db, task_id=task.id, expert_id=str(eid), actor_id=lead,
                            kind="SELECTED" if applied[eid] else "REJECTED")
    return tasks, applied


def test_learned_ranker_beats_fixed_weights_on_held_out_tasks(db: Database, matcher, decided):
    _, applied = decided
    ts = training_set(db, matcher)
    assert ts.n_tasks == 8 and len(ts.y) == 96 and ts.skipped == 0
    assert list(ts.y) == [int(applied[e]) for e in ts.expert_ids]
    cv = cross_validate(ts, folds=4)
    assert cv.learned["tasks"] == cv.transparent["tasks"] == 8
    assert cv.learned["MAP"] > cv.transparent["MAP"] + 0.15
    assert cv.learned["NDCG@10"] > cv.transparent["NDCG@10"] + 0.1
    assert cv.learned["MAP"] > 0.9


def test_train_command_saves_a_model_the_matcher_then_uses(db: Database, matcher, decided):
    tasks, applied = decided
    out = io.StringIO()
    assert run_matcher_command(db, argparse.Namespace(action="train", folds=4), out=out,
                               matcher=matcher) == 0
    text = out.getvalue()
    assert "transparent" in text and "learned" in text and "NDCG@10" in text
    model_id = matcher.store.current_id()
    assert model_id and model_id in text
    matcher.models.poll_seconds = 0.0
    ranking = matcher.rank(db, tasks[0], first=50)
    assert ranking.model_id == model_id
    top = [c.expert_id for c in ranking.candidates[:10]]
    assert sum(applied[e] for e in top) >= 9
    assert any(r.feature == "patents" for r in ranking.candidates[0].reasons)

    out = io.StringIO()
    assert run_matcher_command(db, argparse.Namespace(action="evaluate", folds=4), out=out,
                               matcher=matcher) == 0
    assert f"current model {model_id}" in out.getvalue()


def test_a_model_no_better_than_the_weights_is_saved_but_not_used(db: Database, matcher):
    # The leads choose exactly whom the transparent weights rank first: nothing to improve
    # on, so the model learned from it must not replace the weights unless forced.
    rng = np.random.default_rng(7)
    for i in range(30):
        add(db, f"e{i}", yearsExperience=int(rng.integers(1, 30)),
            hIndex=int(rng.integers(0, 30)), verified=bool(rng.integers(0, 2)),
            skills=[skill("large-language-models", int(rng.integers(1, 6))),
                    skill("transformers", int(rng.integers(1, 6)))])
    lead = create_account(db, name="Lead", role="PROGRAMME_LEAD")[0].id
    for topic in TOPICS[:6]:
        task = create_task(db, posted_by=lead, data=task_input(
            title=f"Mô hình ngôn ngữ cho {topic}", status="OPEN",
            requirements=[{"skill": "large-language-models"}, {"skill": "transformers",
                                                               "weight": 0.5}]))
        ranked = [c.expert_id for c in matcher.rank(db, task.id, first=12).candidates]
        for k, eid in enumerate(ranked):
            record_decision(db, task_id=task.id, expert_id=eid, actor_id=lead,
                            kind="SELECTED" if k < 3 else "REJECTED")
    out = io.StringIO()
    args = argparse.Namespace(action="train", folds=3)
    assert run_matcher_command(db, args, out=out, matcher=matcher) == 0
    assert "not made current" in out.getvalue() and "keeps transparent-v1" in out.getvalue()
    assert matcher.store.current_id() is None
    assert len(list(matcher.store.directory.glob("*.skops"))) == 1  # kept for inspection
    out = io.StringIO()
    args = argparse.Namespace(action="train", folds=3, force=True)
    assert run_matcher_command(db, args, out=out, matcher=matcher) == 0
    assert matcher.store.current_id() is not None and "(--force)" in out.getvalue()


def test_too_few_decisions_are_reported_not_trained(db: Database, matcher):
    out = io.StringIO()
    assert run_matcher_command(db, argparse.Namespace(action="train", folds=5), out=out,
                               matcher=matcher) == 1
    assert "not enough decisions" in out.getvalue()
    assert matcher.store.current_id() is None


def test_metrics():
    assert ndcg_at_k(np.array([1, 0, 0])) == 1.0
    assert ndcg_at_k(np.array([0, 0, 1])) == pytest.approx(0.5)
    assert average_precision(np.array([False, True, False, True])) == pytest.approx(0.5)


def test_a_feature_every_decided_candidate_shares_is_no_warning():
    import warnings

    from matching.rankers import LearnedRanker

    X = np.array([[0.5, 0.1], [0.25, 0.1], [0.5, 0.1], [0.75, 0.1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = LearnedRanker().fit(X, [0, 0, 1, 1], sample_weight=[0.5, 0.4, 1.0, 0.7])
    scores = model.decision_function(X)
    assert np.isfinite(scores).all() and scores[3] > scores[1]
    assert abs(model.coef_[1]) < 1e-12  # the shared feature carries no weight
