"""Training code for unspun's models (training loops, export, tuning); the corpora they read are `unspun.datasets`.

Nothing here is imported by the analysis path. Modules that need heavy dependencies (torch, transformers, ...)
import them lazily; those dependencies come only with the `[train]` extra, never with the default install.
`common` holds the helpers every recipe shares; `technique_data` the technique model's training examples.
"""
