# The two README commands: `make run` and `make test`. Both set up .venv first.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $(STAMP)

.PHONY: run test bench quality setup
setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/summit run

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)


# Answer quality on ../shared/eval-dev against BM25, cosine and RRF peers (issue 14).
quality: $(STAMP)
	$(PY) -m bench.quality $(QUALITY_ARGS)
