# C++ binding (bindings/cpp): header-only peat.hpp, CMake package, tests, bench.
#   make test-cpp    GoogleTest suite through CTest, sanitizer build
#                    (ASan+UBSan, build/cpp-asan) then normal build (build/cpp)
#                    including the install / find_package / pkg-config check
#   make bench-cpp   build/bench/cpp.json
CPP_BUILD      := $(BUILD)/cpp
CPP_ASAN_BUILD := $(BUILD)/cpp-asan
CPP_JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CPP_CMAKE_ARGS := -DPEAT_BUILD_TESTS=ON -DPEAT_PREBUILT_LIBRARY=$(CURDIR)/$(LIB_REAL)
# System packages the C++ tests need (Debian names); installed only if missing.
CPP_DEBS       := cmake g++ pkgconf libgtest-dev protobuf-compiler libprotobuf-dev

.PHONY: test-cpp bench-cpp cpp-deps
BINDING_TESTS += test-cpp
BENCH_TARGETS += bench-cpp

cpp-deps:
	@tools/apt-ensure.sh --why "C++ binding tests" $(CPP_DEBS)

# The sanitizer build runs first so that the output ends with the normal
# build's CTest summary.
test-cpp: $(LIB) cpp-deps
	cmake -S . -B $(CPP_ASAN_BUILD) $(CPP_CMAKE_ARGS) -DPEAT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build $(CPP_ASAN_BUILD) -j$(CPP_JOBS)
	cd $(CPP_ASAN_BUILD) && ctest --output-on-failure -j$(CPP_JOBS)
	cmake -S . -B $(CPP_BUILD) $(CPP_CMAKE_ARGS) -DPEAT_INSTALL_CHECK=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(CPP_BUILD) -j$(CPP_JOBS)
	cd $(CPP_BUILD) && ctest --output-on-failure -j$(CPP_JOBS)

$(BUILD)/bench/bench_cpp: bindings/cpp/bench/bench.cc bindings/cpp/include/peat/peat.hpp include/peat.h $(LIB)
	@mkdir -p $(dir $@)
	g++ -std=c++17 -O2 -DNDEBUG -Wall -Wextra -Werror -Iinclude -Ibindings/cpp/include -o $@ $< \
	  -L$(BUILD)/lib -lpeat -Wl,-rpath,'$$ORIGIN/../lib'

bench-cpp: bench-inputs $(BUILD)/bench/bench_cpp
	$(BUILD)/bench/bench_cpp $(BENCH_DIR)/inputs $(BENCH_DIR)/cpp.json
