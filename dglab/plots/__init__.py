"""Plotting functions: data (and fitted models) in, a matplotlib ``Figure`` out.

Nothing here trains a model or keeps hidden state: a plot of a classifier takes the *fitted*
classifier. Every chapter calls :func:`set_style` once so the whole book looks alike, and uses
:data:`FAMILY_COLORS` so discriminative models are always blue and generative ones always orange.

One module per topic, on a small shared base: :mod:`~dglab.plots.base` (style, palettes, axes),
:mod:`~dglab.plots.classification`, :mod:`~dglab.plots.evaluation`, :mod:`~dglab.plots.generative`,
:mod:`~dglab.plots.text`, :mod:`~dglab.plots.deployment` and :mod:`~dglab.plots.gan_lab` (a GAN's
training, frame by frame). Every public name is importable from
``dglab.plots`` itself.
"""

from __future__ import annotations

from dglab.plots.base import (
    CLASS_COLORS,
    FAMILY_COLORS,
    new_figure,
    set_style,
)
from dglab.plots.classification import (
    plot_decision_boundary,
    plot_gd_path,
    plot_loss_curves,
    plot_probability_contours,
    plot_training_run,
)
from dglab.plots.deployment import (
    plot_distillation,
    plot_drift_pvalues,
    plot_latency,
    plot_quality_over_time,
)
from dglab.plots.evaluation import (
    EVALUATION_PANELS,
    LEARNING_CURVE_BANDS,
    plot_calibration_curve,
    plot_classifier_evaluation,
    plot_confusion_matrix,
    plot_estimate_distribution,
    plot_learning_curves,
    plot_paired_gain,
    plot_pr_curve,
    plot_roc_curve,
)
from dglab.plots.gan_lab import (
    GANLabFrame,
    GANLabView,
    plot_discriminator_surface,
    plot_gan_progress,
    plot_generator_arrows,
    plot_latent_grid,
)
from dglab.plots.generative import (
    plot_feature_distributions,
    plot_gan_history,
    plot_image_grid,
    plot_mode_counts,
    plot_samples_vs_data,
)
from dglab.plots.text import (
    plot_bits_per_char,
    plot_char_entropy,
)

__all__ = [
    "GANLabFrame",
    "GANLabView",
    "plot_discriminator_surface",
    "plot_gan_progress",
    "plot_generator_arrows",
    "plot_latent_grid",
    "FAMILY_COLORS",
    "CLASS_COLORS",
    "set_style",
    "new_figure",
    "plot_decision_boundary",
    "plot_probability_contours",
    "plot_loss_curves",
    "plot_gd_path",
    "plot_training_run",
    "plot_pr_curve",
    "plot_roc_curve",
    "plot_confusion_matrix",
    "plot_image_grid",
    "LEARNING_CURVE_BANDS",
    "plot_learning_curves",
    "plot_samples_vs_data",
    "plot_mode_counts",
    "plot_gan_history",
    "plot_bits_per_char",
    "plot_char_entropy",
    "plot_calibration_curve",
    "EVALUATION_PANELS",
    "plot_classifier_evaluation",
    "plot_feature_distributions",
    "plot_estimate_distribution",
    "plot_paired_gain",
    "plot_latency",
    "plot_distillation",
    "plot_drift_pvalues",
    "plot_quality_over_time",
]
