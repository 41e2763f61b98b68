"""衔接资金 models. None yet."""
