"""Data for the course: loaders for data that ships with Python or scikit-learn, and synthetic generators.

Nothing here downloads anything: every loader builds its data from files already installed, and
every generator takes an explicit ``random_state`` and returns the same data for the same seed.
"""

from __future__ import annotations

import hashlib
import platform
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit
from sklearn.utils import Bunch

from dglab._validation import (
    check_finite_result,
    check_generator,
    check_int,
    check_probability,
    check_random_state,
    check_real,
)

# ------------------------------------------------------------------------------------------------
# Toy data for generative models: a ring of Gaussians, and the digits scaled to [0, 1] (chapters 4-5)
# ------------------------------------------------------------------------------------------------

def ring_centers(n_modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """The centres of the ring of Gaussians: ``n_modes`` points evenly spaced on a circle.

    Parameters
    ----------
    n_modes : int
        Number of centres (>= 1). Centre ``k`` sits at angle ``2 pi k / n_modes``.
    radius : float
        Radius of the circle (> 0).

    Returns
    -------
    ndarray of shape (n_modes, 2)

    Examples
    --------
    >>> ring_centers(4, radius=1.0).round(3) + 0.0
    array([[ 1.,  0.],
           [ 0.,  1.],
           [-1.,  0.],
           [ 0., -1.]])
    """
    n_modes = check_int("n_modes", n_modes, minimum=1)
    radius = check_real("radius", radius, minimum=0, min_inclusive=False)
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return radius * np.column_stack([np.cos(angles), np.sin(angles)])


def ring_of_gaussians(
    n_samples: int,
    n_modes: int = 8,
    radius: float = 2.0,
    std: float = 0.02,
    random_state=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sample the classic GAN test bed: equal-weight Gaussians on a ring.

    Each sample picks one of ``n_modes`` centres (see :func:`ring_centers`) uniformly at random
    and adds isotropic Gaussian noise of standard deviation ``std``. With the defaults the modes
    are far apart (radius 2, spread 0.02), so a generator that misses one is easy to spot.

    Parameters
    ----------
    n_samples : int
        Number of points (>= 1).
    n_modes : int
        Number of Gaussians on the ring (>= 1).
    radius : float
        Radius of the ring (> 0).
    std : float
        Standard deviation of each Gaussian in each coordinate (>= 0).
    random_state : int, numpy.random.RandomState or None
        Seed or generator; an int makes the output reproducible.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The points.
    mode_index : ndarray of shape (n_samples,)
        Which centre each point was drawn around.

    Examples
    --------
    >>> X, mode = ring_of_gaussians(1000, random_state=0)
    >>> X.shape, mode.shape, sorted(set(mode.tolist())) == list(range(8))
    ((1000, 2), (1000,), True)
    """
    n_samples = check_int("n_samples", n_samples, minimum=1)
    std = check_real("std", std, minimum=0)
    centers = ring_centers(n_modes, radius)
    rng = check_random_state(random_state, allow_generator=False)
    mode_index = rng.randint(len(centers), size=n_samples)
    with np.errstate(over="ignore", invalid="ignore"):  # reported below, naming the arguments
        X = centers[mode_index] + std * rng.standard_normal((n_samples, 2))
    check_finite_result("the sampled points", X,
                        cause=f"radius={radius:g} and std={std:g} put points beyond the float64 range")
    return X, mode_index


def load_digits_scaled() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 handwritten digits with pixel intensities scaled to [0, 1].

    The 1,797 images ship with scikit-learn (no download). Each row of ``X`` is one image,
    flattened row by row; the raw intensities 0..16 are divided by 16.

    Returns
    -------
    X : ndarray of shape (1797, 64), values in [0, 1]
    y : ndarray of shape (1797,), the digit 0-9

    Examples
    --------
    >>> X, y = load_digits_scaled()
    >>> X.shape, float(X.min()), float(X.max())
    ((1797, 64), 0.0, 1.0)
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.data / 16.0, digits.target.copy()


# ------------------------------------------------------------------------------------------------
# Synthetic card transactions (chapter 7)
# ------------------------------------------------------------------------------------------------

#: Merchant categories, in the order of the categorical column's categories.
MERCHANT_CATEGORIES = ("grocery", "restaurant", "fuel", "online_retail", "electronics", "travel")

#: How much a category scales a customer's typical amount (travel bookings cost more than coffee).
_CATEGORY_AMOUNT_FACTOR = np.array([1.0, 0.7, 1.1, 1.4, 3.0, 4.0])
#: How popular each category is before a customer's own preferences are drawn.
_CATEGORY_POPULARITY = np.array([0.30, 0.22, 0.15, 0.18, 0.07, 0.08])

#: ``customer_avg_amount`` of a customer's first transaction, when there is no past to average:
#: the median amount over all customers (what a bank would assume about a new card).
FIRST_TRANSACTION_AVG_AMOUNT = 50.0

#: Coefficients of the documented fraud mechanism (see :func:`fraud_score`).
FRAUD_COEFFICIENTS = {
    "log_amount_ratio": 2.0,  # log(amount / customer_avg_amount): unusually large for this card
    "night": 2.0,  # cos(2 pi (hour - 3) / 24): +1 at 3 am, -1 at 3 pm
    "log_distance": 1.1,  # log1p(distance_km) from the card holder's home
    "merchant_category": {  # per-category offsets (online and electronics are easy to resell)
        "grocery": -1.2,
        "restaurant": -0.6,
        "fuel": 0.0,
        "online_retail": 1.2,
        "electronics": 1.6,
        "travel": 0.4,
    },
}

#: Smallest number of transactions :func:`make_transactions` accepts.
MIN_TRANSACTIONS = 100
#: Fewest expected cases of the rarer class (fraud at low rates, legitimate at high rates).
MIN_EXPECTED_MINORITY = 5

_N_DAYS = 90
_START = pd.Timestamp("2024-01-01")


def fraud_score(transactions: pd.DataFrame) -> np.ndarray:
    """The fraud mechanism's linear score of each transaction, without its intercept.

    :func:`make_transactions` labels a transaction fraudulent with probability
    ``expit(intercept + fraud_score(df))``, the intercept being stored in
    ``df.attrs["fraud_intercept"]``. The score adds the terms of :data:`FRAUD_COEFFICIENTS`:
    the log of the amount relative to the customer's past average, a night-time bump peaking at
    3 am, the log distance from home, and an offset per merchant category.

    Parameters
    ----------
    transactions : DataFrame
        With columns ``amount``, ``customer_avg_amount``, ``hour``, ``distance_km`` and
        ``merchant_category``.

    Returns
    -------
    ndarray of shape (n_transactions,)
    """
    needed = ["amount", "customer_avg_amount", "hour", "distance_km", "merchant_category"]
    missing = [c for c in needed if c not in transactions.columns]
    if missing:
        raise ValueError(f"fraud_score needs the columns {needed}; missing {missing}")
    c = FRAUD_COEFFICIENTS
    category = transactions["merchant_category"].astype(str)
    unknown = set(category) - set(MERCHANT_CATEGORIES)
    if unknown:
        raise ValueError(f"unknown merchant categories {sorted(unknown)}; known: {MERCHANT_CATEGORIES}")
    terms = fraud_features(transactions)
    return (
        c["log_amount_ratio"] * terms["log_amount_ratio"]
        + c["night"] * terms["night"]
        + c["log_distance"] * terms["log_distance"]
        + category.map(c["merchant_category"]).to_numpy(dtype=float)
    )


def fraud_features(transactions: pd.DataFrame) -> pd.DataFrame:
    """The interpretable features the fraud mechanism is linear in (one column per term)."""
    amount = transactions["amount"].to_numpy(dtype=float)
    average = transactions["customer_avg_amount"].to_numpy(dtype=float)
    hour = transactions["hour"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "log_amount_ratio": np.log(amount / average),
            "night": np.cos(2 * np.pi * (hour - 3.0) / 24.0),
            "log_distance": np.log1p(transactions["distance_km"].to_numpy(dtype=float)),
        },
        index=transactions.index,
    )


def _check_transactions_args(n_samples, fraud_rate) -> tuple[int, float]:
    n_samples = check_int("n_samples", n_samples, minimum=MIN_TRANSACTIONS)
    fraud_rate = check_probability("fraud_rate", fraud_rate)
    expected_minority = n_samples * min(fraud_rate, 1.0 - fraud_rate)
    if expected_minority < MIN_EXPECTED_MINORITY:
        raise ValueError(
            f"n_samples={n_samples} at fraud_rate={fraud_rate:g} gives only {expected_minority:.1f} "
            f"expected cases of the rarer class; use at least "
            f"{int(np.ceil(MIN_EXPECTED_MINORITY / min(fraud_rate, 1 - fraud_rate)))} transactions"
        )
    return int(n_samples), fraud_rate


def make_transactions(n_samples: int, fraud_rate: float, random_state=None) -> pd.DataFrame:
    """Synthetic card transactions whose fraud labels follow a known logistic mechanism.

    Customers have a typical spend, a home and category preferences; each transaction gets a
    time, a merchant category, an amount and a distance from home. Rows are in time order and
    carry the customer's history computed from *earlier rows of the same customer only*:
    ``customer_n_prev`` (how many earlier transactions) and ``customer_avg_amount`` (their mean
    amount; :data:`FIRST_TRANSACTION_AVG_AMOUNT` for a first transaction). A transaction is fraud
    with probability ``expit(b + fraud_score(row))`` (see :func:`fraud_score`), where the
    intercept ``b`` is solved so that the mean probability equals ``fraud_rate``; the realised
    rate then varies around it with binomial noise.

    Parameters
    ----------
    n_samples : int
        Number of transactions (at least :data:`MIN_TRANSACTIONS`, and enough that the rarer
        class has :data:`MIN_EXPECTED_MINORITY` expected cases).
    fraud_rate : float
        Target fraction of fraudulent transactions, strictly between 0 and 1.
    random_state : int, numpy Generator or None
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same frame.

    Returns
    -------
    DataFrame
        Columns ``customer_id``, ``timestamp``, ``hour``, ``merchant_category`` (categorical),
        ``amount``, ``distance_km``, ``customer_n_prev``, ``customer_avg_amount``, ``is_fraud``.
        ``attrs["fraud_intercept"]`` holds ``b`` and ``attrs["fraud_rate"]`` the target.

    Examples
    --------
    >>> from dglab.data import make_transactions
    >>> df = make_transactions(2000, fraud_rate=0.05, random_state=0)
    >>> df.shape
    (2000, 9)
    >>> bool(df["customer_avg_amount"].notna().all())
    True
    """
    n_samples, fraud_rate = _check_transactions_args(n_samples, fraud_rate)
    rng = check_generator(random_state)

    # Customers: typical spend (log-normal around 40), how far from home they usually shop,
    # how active they are, and which categories they favour.
    n_customers = max(10, n_samples // 25)
    typical_amount = rng.lognormal(np.log(40.0), 0.6, n_customers)
    distance_scale = rng.lognormal(np.log(5.0), 0.5, n_customers)
    activity = rng.gamma(2.0, 1.0, n_customers)
    preferences = rng.dirichlet(20 * _CATEGORY_POPULARITY, n_customers)

    customer = rng.choice(n_customers, size=n_samples, p=activity / activity.sum())
    # Time of day: mostly daytime (around 2 pm), a uniform background around the clock.
    daytime = rng.random(n_samples) < 0.85
    hour = np.where(daytime, rng.normal(14.0, 3.5, n_samples), rng.uniform(0, 24, n_samples)) % 24
    day = rng.integers(0, _N_DAYS, n_samples)
    seconds = np.round(hour * 3600.0) % 86400  # whole seconds, as a card network logs them
    timestamp = _START + pd.to_timedelta(day, unit="D") + pd.to_timedelta(seconds, unit="s")
    hour = seconds / 3600.0
    # One category per transaction from its customer's preferences (inverse-CDF sampling).
    cumulative = np.cumsum(preferences[customer], axis=1)
    category = np.minimum((rng.random(n_samples)[:, None] > cumulative).sum(axis=1),
                          len(MERCHANT_CATEGORIES) - 1)
    amount = np.round(
        typical_amount[customer] * _CATEGORY_AMOUNT_FACTOR[category]
        * rng.lognormal(0.0, 0.5, n_samples), 2,
    )
    amount = np.maximum(amount, 0.5)
    distance = np.round(distance_scale[customer] * rng.lognormal(0.0, 1.0, n_samples), 2)
    u_label = rng.random(n_samples)  # drawn now so the label noise does not depend on sorting

    df = pd.DataFrame({
        "customer_id": customer.astype(np.int64),
        "timestamp": timestamp,
        "hour": hour,
        "merchant_category": pd.Categorical.from_codes(category, categories=list(MERCHANT_CATEGORIES)),
        "amount": amount,
        "distance_km": distance,
        "_u": u_label,
    })
    df = df.sort_values("timestamp", kind="stable").reset_index(drop=True)

    # History from earlier rows of the same customer only (rows are in time order).
    by_customer = df.groupby("customer_id", sort=False)["amount"]
    n_prev = by_customer.cumcount().to_numpy()
    past_total = by_customer.cumsum().to_numpy() - df["amount"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        past_mean = past_total / n_prev
    df["customer_n_prev"] = n_prev.astype(np.int64)
    df["customer_avg_amount"] = np.where(n_prev > 0, np.round(past_mean, 6), FIRST_TRANSACTION_AVG_AMOUNT)

    # Fraud: logistic in the documented features, intercept solved for the target rate.
    score = fraud_score(df)
    intercept = brentq(lambda b: expit(b + score).mean() - fraud_rate, -60.0, 60.0, xtol=1e-12)
    df["is_fraud"] = (df.pop("_u").to_numpy() < expit(intercept + score)).astype(np.int64)
    df.attrs["fraud_intercept"] = float(intercept)
    df.attrs["fraud_rate"] = fraud_rate
    return df


def true_fraud_probability(transactions: pd.DataFrame) -> np.ndarray:
    """P(fraud | transaction) under the mechanism that generated ``transactions``.

    This is the best any model could score (the Bayes-optimal score); it needs the intercept
    that :func:`make_transactions` stores in ``attrs["fraud_intercept"]``.
    """
    if "fraud_intercept" not in transactions.attrs:
        raise ValueError("transactions.attrs has no 'fraud_intercept'; pass a frame made by make_transactions")
    return expit(transactions.attrs["fraud_intercept"] + fraud_score(transactions))

# ------------------------------------------------------------------------------------------------
# Paragraphs of the Python documentation, labelled by topic (chapter 8)
# ------------------------------------------------------------------------------------------------

#: Which help topics of ``pydoc_data.topics`` make up each class of
#: :func:`load_python_doc_paragraphs`. The topics are sections of the Python Language and
#: Library References; the groups follow the reference's own chapters.
PYTHON_DOC_TOPIC_GROUPS: dict[str, tuple[str, ...]] = {
    # Language Reference, "Simple statements" and "Compound statements"
    "statements": (
        "assert", "assignment", "async", "augassign", "break", "class", "compound", "continue",
        "del", "else", "for", "function", "global", "if", "import", "nonlocal", "pass", "raise",
        "return", "try", "while", "with", "yield",
    ),
    # Language Reference, "Expressions"
    "expressions": (
        "atom-identifiers", "atom-literals", "attribute-references", "await", "binary",
        "bitwise", "booleans", "calls", "comparisons", "conversions", "dict", "exprlists", "in",
        "lambda", "lists", "operator-summary", "power", "shifting", "slicings", "subscriptions",
        "unary",
    ),
    # Language Reference, "Data model"
    "data model": (
        "attribute-access", "callable-types", "context-managers", "customization",
        "numeric-types", "objects", "sequence-types", "specialattrs", "specialnames", "types",
    ),
    # Library Reference, "Built-in Types"
    "built-in types": (
        "bltin-code-objects", "bltin-ellipsis-object", "bltin-null-object", "bltin-type-objects",
        "string-methods", "truth", "typesfunctions", "typesmapping", "typesmethods",
        "typesmodules", "typesseq", "typesseq-mutable",
    ),
}

_UNDERLINE = re.compile(r"\s*[*=\-^~]{3,}\s*")
_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]*[,.;:]?")


def _prose_paragraphs(text: str, min_words: int):
    """The prose paragraphs of one help topic, each on one line with single spaces."""
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip("\n").splitlines()
        if any(_UNDERLINE.fullmatch(line) for line in lines):
            continue  # a section title and its underline
        paragraph = " ".join(block.split())
        if "::=" in paragraph or paragraph.startswith((">>>", "...")):
            continue  # a grammar rule or an interactive example
        words = paragraph.split()
        if len(words) < min_words:
            continue
        if sum(bool(_PLAIN_WORD.fullmatch(w)) for w in words) < 0.5 * len(words):
            continue  # mostly code, signatures or tables rather than sentences
        yield paragraph


def load_python_doc_paragraphs(*, min_words: int = 20, return_X_y: bool = False):
    """Paragraphs of the Python reference documentation, labelled by the part they come from.

    The text is the offline copy of the documentation that CPython ships for ``help()``
    (``pydoc_data.topics``): no download, licensed under the PSF licence. Each help topic
    listed in :data:`PYTHON_DOC_TOPIC_GROUPS` is split into paragraphs; titles, grammar
    rules, interactive examples and paragraphs that are mostly code are dropped, and so are
    paragraphs shorter than ``min_words`` words. A paragraph that appears in several topics
    (some topics include others) is kept once, and dropped if those topics belong to
    different classes. The result is deterministic for a given Python version; the
    documentation changes a little between Python releases, so the exact counts do too.

    Parameters
    ----------
    min_words : int, default=20
        Shortest paragraph kept, in whitespace-separated words (at least 1).
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    sklearn.utils.Bunch
        ``data``: list of paragraphs (str); ``target``: ndarray of int class indices;
        ``target_names``: list of the class names, in the order of
        :data:`PYTHON_DOC_TOPIC_GROUPS`; ``topic``: the help topic of each paragraph;
        ``DESCR``: a short description. With ``return_X_y=True``, ``(data, target)``.

    Examples
    --------
    >>> from dglab.data import load_python_doc_paragraphs
    >>> docs = load_python_doc_paragraphs()
    >>> docs.target_names
    ['statements', 'expressions', 'data model', 'built-in types']
    >>> len(docs.data) == len(docs.target) == len(docs.topic)
    True
    """
    check_int("min_words", min_words, minimum=1)
    from pydoc_data.topics import topics

    groups = list(PYTHON_DOC_TOPIC_GROUPS)
    first_topic: dict[str, str] = {}
    classes_of: dict[str, set[int]] = defaultdict(set)
    for label, group in enumerate(groups):
        for topic in sorted(PYTHON_DOC_TOPIC_GROUPS[group]):
            if topic not in topics:
                continue  # a topic missing from this Python version's help
            for paragraph in _prose_paragraphs(topics[topic], min_words):
                first_topic.setdefault(paragraph, topic)
                classes_of[paragraph].add(label)
    kept = [p for p in first_topic if len(classes_of[p]) == 1]  # dicts keep insertion order
    data = kept
    target = np.array([next(iter(classes_of[p])) for p in kept], dtype=np.int64)
    if return_X_y:
        return data, target
    counts = ", ".join(f"{g}: {int(np.sum(target == i))}" for i, g in enumerate(groups))
    descr = (
        f"{len(data)} paragraphs (at least {min_words} words) of the Python reference "
        f"documentation shipped in pydoc_data.topics, in {len(groups)} classes ({counts})."
    )
    return Bunch(
        data=data, target=target, target_names=groups,
        topic=[first_topic[p] for p in kept], DESCR=descr,
    )

# ------------------------------------------------------------------------------------------------
# The offline text corpus: the Python documentation's help pages (chapter 9)
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextCorpus:
    """English prose split into a training and a held-out validation text.

    Attributes
    ----------
    train, validation : str
        The two texts; no topic appears in both.
    train_topics, validation_topics : tuple of str
        The topic names each text is made of, in the order they were joined.
    source : str
        Where the text comes from (and which Python version shipped it).
    licence : str
        The licence the text is distributed under.
    """

    train: str
    validation: str
    train_topics: tuple[str, ...]
    validation_topics: tuple[str, ...]
    source: str
    licence: str

    @property
    def fingerprint(self) -> str:
        """First 16 hex digits of the SHA-256 of both texts: identifies the exact corpus.

        Python releases edit their documentation, so a model trained on one version's corpus
        records this to tell whether it is being evaluated on the same text.
        """
        digest = hashlib.sha256()
        for text in (self.train, "\0", self.validation):
            digest.update(text.encode("utf-8"))
        return digest.hexdigest()[:16]


def load_corpus(validation_every: int = 10, validation_offset: int = 5,
                separator: str = "\n\n") -> TextCorpus:
    """The Python documentation's topic pages, split by topic into train and validation text.

    CPython ships the text of its language reference's help topics (what ``help("assert")``
    prints) in the standard-library module ``pydoc_data.topics``: about 80 pages and 460,000
    characters of technical English with some code, available on every install with no
    download.

    Many pages repeat whole sections of others (``customization`` is part of
    ``specialnames``, ``if`` of ``else``), which would let a model "predict" held-out text it
    has memorised. So the pages are first deduplicated: taken in order of topic name and cut
    into blocks at blank lines, each block is kept only where it first appears (about 20 % of
    the text goes; pages left empty are dropped). Then the page at sorted position ``i`` goes
    to the validation text when ``i % validation_every == validation_offset``, every other page
    to the training text. Splitting by page rather than by position means the validation text is
    prose on subjects the training text never covers, not a continuation of a sentence it saw.

    The text is part of the Python documentation, copyright the Python Software Foundation and
    licensed, like Python itself, under the PSF License Agreement (code examples in it are
    additionally under the Zero-Clause BSD licence; see
    https://docs.python.org/3/license.html). Its exact content varies slightly between Python
    releases; :attr:`TextCorpus.fingerprint` identifies it.

    Parameters
    ----------
    validation_every : int
        One page in every ``validation_every`` (by sorted name) is held out (at least 2).
    validation_offset : int
        Which page of each group is held out, in ``[0, validation_every)``.
    separator : str
        Put between consecutive pages.

    Returns
    -------
    TextCorpus

    Examples
    --------
    >>> from dglab.data import load_corpus
    >>> corpus = load_corpus()
    >>> len(corpus.validation) < len(corpus.train)
    True
    >>> set(corpus.train_topics) & set(corpus.validation_topics)
    set()
    """
    from pydoc_data.topics import topics  # ~450 KB of text: imported only when needed

    check_int("validation_every", validation_every, minimum=2)
    check_int("validation_offset", validation_offset, minimum=0, maximum=validation_every - 1)
    if not isinstance(separator, str):
        raise TypeError(f"separator must be a str, got {type(separator).__name__}")
    names = sorted(topics)
    pages, seen = {}, set()
    for name in names:
        blocks = []
        for block in re.split(r"\n[ \t]*\n", topics[name].strip("\n")):
            if block.strip() and block.strip() not in seen:
                seen.add(block.strip())
                blocks.append(block)
        if blocks:
            pages[name] = "\n\n".join(blocks)
    held_out = [n for i, n in enumerate(names) if i % validation_every == validation_offset and n in pages]
    kept = [n for i, n in enumerate(names) if i % validation_every != validation_offset and n in pages]

    def join(selected):
        return separator.join(pages[n] for n in selected)

    return TextCorpus(
        train=join(kept),
        validation=join(held_out),
        train_topics=tuple(kept),
        validation_topics=tuple(held_out),
        source=f"pydoc_data.topics of Python {platform.python_version()}",
        licence="PSF License Agreement (the Python documentation's licence), "
                "https://docs.python.org/3/license.html",
    )
