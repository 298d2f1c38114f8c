"""The text side of dedup (智能去重): meaning-bearing words, their IDF weights, places, and calibrated rules.

- words: jieba segmentation without stop words, place words set apart;
- IDF: learnt from the history of reports by ``manage.py dedup_fit_idf`` (VAR_DIR/models/dedup_idf.json); a word
  that occurs in many reports (a templated title, "市民来电反映") weighs little; without the file every word
  weighs DEFAULT_IDF and stop words nothing;
- topic: the cold-start keyword scores of both texts (catalogue + synonyms), so "烤串" and "烧烤摊" agree; where
  the keywords name nothing, the trained classifier's probabilities when it is sure (TopicSource);
- places: road + house number and landmark names, matched exactly;
- rules: per-category radius and window fitted from closed duplicates by ``manage.py dedup_calibrate``
  (VAR_DIR/models/dedup_rules.json), read with defaults when absent.
"""
from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from pathlib import Path

from django.conf import settings

DEFAULT_IDF = 4.0
# Shared information (sum of IDF of shared words) at which a text match is half believed: two identical
# templated titles of two frequent words share little information and so earn a small text part.
INFO_HALF = 4.0
STOP_WORDS = set(
    "的 了 在 是 有 我 你 他 她 它 们 这 那 就 都 也 还 很 吗 呢 啊 吧 呀 和 与 及 把 被 让 给 从 到 对 说 要 会 能 "
    "一个 一些 一下 这个 那个 这里 那里 这边 那边 我们 你们 他们 大家 今天 昨天 刚才 现在 最近 已经 一直 每天 "
    "请 请问 谢谢 麻烦 希望 尽快 处理 反映 市民 来电 要求 相关 部门 相关部门 有人 管 有人管 吗 问题 情况 "
    "附近 居民 住户 门口 楼下 晚上 每天 路边 那边 那儿 这儿 好几天 几天 天天 老是 总是 经常 我家 家里 小区 上面 下面 旁边 边上 对面 里面 外面  一下子 好多 很多 非常 特别 实在 真的 太 又 再 才 没 不 没有 着 过 得 地 之 其 该 此 "
    "紧急 投诉 举报 the a an of and to in on at is are for with".split()
)
_PLACE_SUFFIX = "路|街|大街|胡同|巷|道|里|条|小区|社区|公园|地铁站|医院|学校|小学|中学|广场|商场|大厦|桥|站|院|村|市场|超市|楼"
_ROAD_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:大街|路|街|胡同|巷|道|条))(\d+)号")
_LANDMARK = re.compile(rf"([\u4e00-\u9fff]{{2,8}}?(?:{_PLACE_SUFFIX}))")
_lock = threading.Lock()
_cache: dict = {}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def models_dir() -> Path:
    return Path(settings.VAR_DIR) / "models"


def idf_path() -> Path:
    return Path(getattr(settings, "DEDUP_IDF_PATH", models_dir() / "dedup_idf.json"))


def rules_path() -> Path:
    return Path(getattr(settings, "DEDUP_RULES_PATH", models_dir() / "dedup_rules.json"))


def _read_json(path: Path) -> dict | None:
    """The file's content, cached per version; None when it is absent or unreadable (defaults then apply)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _lock:
        if key not in _cache:
            try:
                _cache[key] = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                _cache[key] = None
        return _cache[key]


def write_json(path: Path, payload: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True), "utf-8")
    tmp.replace(path)  # a running server never reads half a file
    return path


# --- words, places and their weights ------------------------------------------------------------


def places(text: str) -> set[str]:
    """Road + number ("牛街25号" → "牛街#25") and landmark names ("白纸坊社区") found in the text."""
    text = _norm(text)
    found = {f"{road}#{number}" for road, number in _ROAD_NUMBER.findall(text)}
    found |= {name for name in _LANDMARK.findall(text) if len(name) >= 3}
    return found


def words(text: str) -> set[str]:
    """Meaning-bearing words: jieba tokens without stop words, digits or punctuation."""
    import jieba

    return {
        w for w in jieba.lcut(_norm(text))
        if len(w.strip()) >= 1 and w not in STOP_WORDS and any(ch.isalpha() for ch in w) and not w.isdigit()
    }


def fit_idf(texts) -> dict:
    """Smoothed IDF of every word seen in at least two reports: log((1 + N) / (1 + df)) + 1 − 1 (zero for a word in all)."""
    from collections import Counter

    df, n = Counter(), 0
    for text in texts:
        n += 1
        df.update(words(text))
    idf = {w: round(math.log((1 + n) / (1 + c)), 4) for w, c in df.items() if c >= 2}
    return {"n_docs": n, "unseen_idf": round(math.log(1 + n), 4) if n else DEFAULT_IDF, "idf": idf}


def idf_table() -> dict:
    return _read_json(idf_path()) or {"n_docs": 0, "unseen_idf": DEFAULT_IDF, "idf": {}}


def weight(word: str, table: dict) -> float:
    return float(table["idf"].get(word, table["unseen_idf"]))


def word_similarity(a: str, b: str, table: dict | None = None) -> tuple[float, float]:
    """(weighted Dice of the non-place words, shared information): IDF-weighted, so templated words count little."""
    table = table or idf_table()
    x, y = words(a) - _place_words(a), words(b) - _place_words(b)
    if not x or not y:
        return 0.0, 0.0
    shared = sum(weight(w, table) for w in x & y)
    total = sum(weight(w, table) for w in x) + sum(weight(w, table) for w in y)
    return (2 * shared / total if total else 0.0), shared


def _place_words(text: str) -> set[str]:
    return {w for name in places(text) for w in words(name.split("#")[0])}


class TopicSource:
    """What problem a text names, as scores per category code: the cold-start keywords when they name one, else the
    trained classifier's probabilities when it is at least as sure as intake's own threshold for deciding without a
    person (a model that hesitates names nothing: English templated titles, greetings). Scores are cached per text
    for the life of one intake call."""

    def __init__(self, keywords, model=None, threshold: float = 0.5):
        self.keywords, self.model, self.threshold = keywords, model, threshold
        self._seen: dict[str, dict] = {}

    def scores(self, text: str) -> dict:
        if text not in self._seen:
            found = self.keywords.scores(text) if self.keywords is not None else {}
            if not found and self.model is not None:
                probabilities = self.model.probabilities(text)
                if probabilities and max(probabilities.values()) >= self.threshold:
                    found = probabilities
            self._seen[text] = found
        return self._seen[text]


def topic_similarity(a: str, b: str, keywords) -> float | None:
    """Cosine of the keyword scores (catalogue + synonyms) of both texts; None when either names no known problem."""
    x, y = keywords.scores(a), keywords.scores(b)
    if not x or not y:
        return None
    if max(x, key=lambda k: (x[k], k)) == max(y, key=lambda k: (y[k], k)):
        return 1.0  # the same best-named problem
    dot = sum(v * y.get(k, 0.0) for k, v in x.items())
    return dot / (math.sqrt(sum(v * v for v in x.values())) * math.sqrt(sum(v * v for v in y.values())))


def text_parts(a: str, b: str, keywords=None, table: dict | None = None) -> dict:
    """Each ingredient of the text part, for the dispatcher: words, topic, places, and the discount for little information."""
    similarity, shared = word_similarity(a, b, table)
    information = shared / (shared + INFO_HALF) if shared else 0.0
    topic = topic_similarity(a, b, keywords) if keywords is not None else None
    # The same named problem (topic) is evidence by itself; otherwise only informative shared words are.
    text = 0.8 * topic + 0.2 * similarity if topic is not None else similarity * information
    pa, pb = places(a), places(b)
    if pa and pb:
        place = 1.0 if pa & pb else 0.0
    else:
        place = 0.5  # one of them names no place: neither evidence for nor against
    return {
        "words": round(similarity, 4), "information": round(information, 4),
        "topic": None if topic is None else round(topic, 4), "text": round(text, 4),
        "place": place, "places_shared": sorted(pa & pb)[:5],
    }


# --- per-category rules from closed duplicates --------------------------------------------------


def calibrated_rule(code: str | None) -> dict | None:
    """The fitted radius and window of a category, or None (then the admin rule or the defaults apply)."""
    data = _read_json(rules_path()) or {}
    return (data.get("categories") or {}).get(code or "")


def calibrate(pairs, *, quantile: float = 0.9, min_pairs: int = 10) -> dict:
    """Radius and window per category at the given quantile of (metres, hours) between duplicates and masters.

    ``pairs`` yields (category code, metres, hours). Categories with fewer than ``min_pairs`` keep the defaults.
    """
    from collections import defaultdict

    by_code = defaultdict(list)
    for code, metres, hours in pairs:
        by_code[code].append((metres, max(hours, 0.0)))
    categories = {}
    for code, rows in sorted(by_code.items()):
        if len(rows) < min_pairs:
            continue
        metres = sorted(m for m, _h in rows)
        hours = sorted(h for _m, h in rows)
        pick = lambda values: values[min(len(values) - 1, int(quantile * len(values)))]  # noqa: E731
        categories[code] = {
            "radius_m": round(min(max(pick(metres), 30.0), 500.0), 1),
            "window_hours": round(min(max(pick(hours), 6.0), 24.0 * 30), 1),
            "n": len(rows),
        }
    return {"quantile": quantile, "min_pairs": min_pairs, "categories": categories}
