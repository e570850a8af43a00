# The Python demo player (examples/demo/python): included by the top-level Makefile.
#   make demo-python   build/venv-python with the peat wheel installed, by the
#                      binding's own target (python-wheel, bindings/python/binding.mk)
DEMO_PY_STAMP := $(BUILD)/demo-bin/python/.stamp
DEMO_PY_DEPS  := $(LIB) $(BUILD)/venv-python/.stamp $(wildcard bindings/python/src/peat/*.py) bindings/python/setup.py \
                 bindings/python/buildsupport.py bindings/python/pyproject.toml $(shell find proto -name '*.proto')

.PHONY: demo-python
$(DEMO_PY_STAMP): $(DEMO_PY_DEPS)
	$(MAKE) --no-print-directory python-wheel
	$(BUILD)/venv-python/bin/python -c 'import peat.pb.peat.demo.v1.demo_pb2'
	@mkdir -p $(dir $@)
	@touch $@
demo-python: $(DEMO_PY_STAMP)

DEMO_TARGETS += demo-python
