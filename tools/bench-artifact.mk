# make bench-artifact: artifact-verification throughput through the C ABI,
# streaming ARTIFACT_MIB (1024) MiB in 1 MiB chunks, against sha256sum on
# the same file in the same run (the file is read once first, so both read
# from the page cache). Not part of make test. Needs ARTIFACT_MIB MiB of disk
# in build/bench (removed afterwards).
ARTIFACT_MIB ?= 1024
.PHONY: bench-artifact
$(BUILD)/bench/artifact_bench: bench/c/artifact_bench.c include/peat.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c99 -Wall -Wextra -Werror -Iinclude -o $@ $< -L$(BUILD)/lib -lpeat -Wl,-rpath,'$$ORIGIN/../lib'

bench-artifact: $(BUILD)/bench/artifact_bench $(CLI)
	@f=$(BUILD)/bench/artifact.bin; trap 'rm -f '"$$f" EXIT; \
	head -c $$(( $(ARTIFACT_MIB) << 20 )) /dev/urandom > $$f; cat $$f > /dev/null; \
	s=$$(date +%s.%N); sum=$$(sha256sum $$f | cut -d' ' -f1); e=$$(date +%s.%N); \
	echo "sha256sum: $(ARTIFACT_MIB) MiB in $$(echo "$$e - $$s" | bc) s = $$(echo "$(ARTIFACT_MIB) / ($$e - $$s)" | bc) MiB/s"; \
	$(BUILD)/bench/artifact_bench $$f sha256:$$sum; \
	$(BUILD)/bench/artifact_bench $$f blake3:$$(printf '0%.0s' $$(seq 64)) || true; \
	echo "(blake3 row: the digest is not known up front, so it ends in NOT_VERIFIED; the time is the full stream)"; \
	/usr/bin/time -f "peat artifact verify (CLI): %e s, peak RSS %M KiB" $(CLI) artifact verify --directive <(printf '{"directiveId":"b","issuedAt":{"seconds":"1"},"issuerNodeId":"c","scope":{"broadcast":{}},"artifact":{"blobHash":"sha256:%s","sizeBytes":"%d","artifactType":{"onnxModel":{}}}}' $$sum $$(( $(ARTIFACT_MIB) << 20 ))) --from json $$f
