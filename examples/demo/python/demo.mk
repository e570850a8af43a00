# The Python demo player (examples/demo/python): included by the top-level Makefile.
#   make demo-python   build/venv-python with the peat wheel installed, by the
#                      binding's own target (python-wheel, bindings/python/binding.mk),
#                      and the demo's own schema (examples/demo/proto, not in the
#                      wheel) compiled by the project's protoc into a descriptor
#                      set, build/demo-bin/python/demo.binpb, from which the player
#                      builds its Plan class at start-up
DEMO_PY_DIR   := $(BUILD)/demo-bin/python
DEMO_PY_STAMP := $(DEMO_PY_DIR)/.stamp
DEMO_PY_DEPS  := $(LIB) $(BUILD)/venv-python/.stamp $(wildcard bindings/python/src/peat/*.py) bindings/python/setup.py \
                 bindings/python/buildsupport.py bindings/python/pyproject.toml examples/demo/python/demo_player.py \
                 $(shell find proto examples/demo/proto -name '*.proto')

.PHONY: demo-python
$(DEMO_PY_STAMP): $(DEMO_PY_DEPS)
	@echo "demo: building the Python player: the peat wheel into build/venv-python (~1 min; the venv itself, from PyPI, once)"
	$(MAKE) --no-print-directory python-wheel
	@mkdir -p $(DEMO_PY_DIR)
	tools/protoc.sh -I proto -I examples/demo/proto --descriptor_set_out=$(DEMO_PY_DIR)/demo.binpb \
	  $$(cd examples/demo/proto && find . -name '*.proto' | sed 's|^\./||' | sort)
	PEAT_DEMO_DESCRIPTORS=$(CURDIR)/$(DEMO_PY_DIR)/demo.binpb $(BUILD)/venv-python/bin/python -c \
	  'import sys; sys.path.insert(0, "examples/demo/python"); import demo_player; demo_player.plan_class()'
	@touch $@
demo-python: $(DEMO_PY_STAMP)

DEMO_TARGETS += demo-python
