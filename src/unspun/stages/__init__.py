"""Analysis stages. Each module has one entry function, `run(doc) -> None`, that adds its own span kind."""
