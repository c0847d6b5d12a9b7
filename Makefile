# Thin wrappers: the logic lives in `python -m eigenbook.book` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements/lock.txt
READY  := $(VENV)/.installed
JOBS   ?= 2
SEEDS  ?= 0-4

.PHONY: help venv book robustness test serve chromium lock bench clean pdf lab
help:
	@echo "make book    build the whole site into _build/html (executes chapters at full scale)"
	@echo "make robustness  execute every chapter at ci with seeds 0-4 (SEEDS=...) and write the"
	@echo "             Robustness page (each claim per seed, its worst margin; CI does not run it)"
	@echo "make test    every test stage: lint, unit, machinery, execute ci, check, build, site"
	@echo "make pdf     print each chapter and the whole book to PDF (SCALE=full|ci) into"
	@echo "             _build/<scale>/pdf/ from the built site (make book first), linked from it"
	@echo "make lab     JupyterLab on the chapters, .md sources opened as notebooks (jupytext)"
	@echo "make bench   run benchmarks/ (book vs reference libraries; BENCH=--quick, BENCH='--only"
	@echo "             CASE', BENCH=--publish: also into benchmarks/results/, shown by the site):"
	@echo "             _build/bench/results.json and the Performance page"
	@echo "make serve   serve _build/html on http://127.0.0.1:8000"
	@echo "make lock    re-resolve the pinned toolchain into $(LOCK)"
	@echo "make clean   remove _build (keeps .venv)"

# The virtual environment, installed from the lock; redone when either input changes.
$(READY): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -c $(LOCK) -e ".[book,test,dev]"
	@touch $@
venv: $(READY)

book: $(READY)
	$(BIN)/python -m eigenbook.book execute --scale full -j $(JOBS)
	$(BIN)/python -m eigenbook.book build --scale full

robustness: $(READY)
	$(BIN)/python -m eigenbook.book seeds --scale ci --seeds $(SEEDS) -j $(JOBS)

test: $(READY) chromium
	$(BIN)/python -m eigenbook.book test -j $(JOBS)

# PDFs from the built site of SCALE (full: `make book` first; ci: the test build).
SCALE ?= full
pdf: $(READY) chromium
	$(BIN)/python -m eigenbook.book pdf --scale $(SCALE)

# JupyterLab on the repository, each chapter's jupytext .md opening as a notebook, paired
# with an .ipynb beside it (chapters/jupytext.toml; git ignores the .ipynb). JupyterLab must come from the lock.
lab: $(READY)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null || \
	  $(BIN)/python -m pip install -q -c $(LOCK) -e ".[lab]"
	$(BIN)/python -m jupyter lab --notebook-dir=.

serve:
	@test -f _build/html/index.html || { echo "no site yet: run 'make book'"; exit 1; }
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html 8000

# Debian's chromium for the browser test (never `playwright install`: it downloads).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Re-resolve the toolchain from pyproject's ranges in a scratch venv and pin it.
lock:
	rm -rf _build/lockenv && $(PYTHON) -m venv _build/lockenv
	_build/lockenv/bin/python -m pip install -q --upgrade "pip>=24"
	_build/lockenv/bin/python -m pip install -q -e ".[book,test,dev,lab]"
	{ echo "# Pinned toolchain for the book build (make lock). Users of the library: see pyproject.toml."; \
	  _build/lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^eigenbook'; } > $(LOCK)
	rm -rf _build/lockenv

# The benchmarks of benchmarks/ (run on an idle machine): _build/bench/results.json and the
# Performance page. BENCH="--quick" for small sizes, BENCH="--only CASE" for one case.
bench: $(READY)
	$(BIN)/python -m eigenbook.book bench $(BENCH)

clean:
	rm -rf _build
