# C++ message classes for libpeat's .proto files, generated at build time by
# the consuming project's own protoc and compiled against its own libprotobuf
# (the targets protobuf::protoc and protobuf::libprotobuf of
# find_package(Protobuf), module or config mode). libpeat itself never links
# protobuf: messages cross its ABI as bytes.
#
#   peat_generate_cpp(TARGET <target> [PROTOC_OUT_DIR <dir>] [IMPORT_DIRS <dir>...])
#
# adds to <target> (an executable or a library created in the same directory)
# the .pb.cc of every libpeat .proto file, the directory holding the .pb.h
# (PUBLIC, as a system directory: `#include "cap/node/v1/node.pb.h"`) and
# protobuf::libprotobuf (PUBLIC). PROTOC_OUT_DIR defaults to
# ${CMAKE_CURRENT_BINARY_DIR}/<target>_peat_proto; IMPORT_DIRS are extra -I
# directories for protoc. All files are generated: they import one another.
#
# Like protobuf_generate() it runs `protoc --cpp_out` through
# protobuf::protoc; it does not call protobuf_generate() itself, because
# CMake's FindProtobuf version of it (CMake 3.25 of Debian 12, for one)
# computes the output paths relative to CMAKE_CURRENT_SOURCE_DIR, so that it
# cannot generate for .proto files outside the project, such as an installed
# package's (the build looks for ../../prefix/share/...pb.cc and fails).
#
# _peat_add_proto_library() defines Peat::proto (a static library, position
# independent, built with peat_generate_cpp) for the `proto` component of
# PeatConfig.cmake and for -DPEAT_PROTO=ON in the source tree.
#
# The including file sets PEAT_PROTO_DIR, the root of the .proto files.
if(NOT PEAT_PROTO_DIR)
  message(FATAL_ERROR "PeatProto.cmake: set PEAT_PROTO_DIR before including it")
endif()
set_property(GLOBAL PROPERTY PEAT_PROTO_DIR "${PEAT_PROTO_DIR}")
include_guard(GLOBAL)

function(peat_generate_cpp)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;PROTOC_OUT_DIR" "IMPORT_DIRS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "peat_generate_cpp: unknown arguments ${arg_UNPARSED_ARGUMENTS} "
                        "(usage: peat_generate_cpp(TARGET <target> [PROTOC_OUT_DIR <dir>] [IMPORT_DIRS <dir>...]))")
  endif()
  if(NOT arg_TARGET)
    message(FATAL_ERROR "peat_generate_cpp: TARGET <target> is required")
  endif()
  set(t "${arg_TARGET}")
  if(NOT TARGET "${t}")
    message(FATAL_ERROR "peat_generate_cpp: no target ${t}: create it first (add_library(${t} STATIC) or add_executable)")
  endif()
  get_target_property(_aliased "${t}" ALIASED_TARGET)
  get_target_property(_imported "${t}" IMPORTED)
  get_target_property(_type "${t}" TYPE)
  if(_aliased OR _imported OR _type STREQUAL "INTERFACE_LIBRARY" OR _type STREQUAL "UTILITY")
    message(FATAL_ERROR "peat_generate_cpp: ${t} must be an executable or a static, shared, module or object library of this project")
  endif()
  get_target_property(_dir "${t}" SOURCE_DIR)
  if(NOT _dir STREQUAL CMAKE_CURRENT_SOURCE_DIR)
    # add_custom_command outputs only reach targets of the same directory.
    message(FATAL_ERROR "peat_generate_cpp: call it in the directory that creates ${t} (${_dir})")
  endif()
  if(NOT TARGET protobuf::protoc OR NOT TARGET protobuf::libprotobuf)
    message(FATAL_ERROR "peat_generate_cpp: needs protobuf::protoc and protobuf::libprotobuf: call "
                        "find_package(Protobuf REQUIRED) first (Debian: apt install libprotobuf-dev protobuf-compiler)")
  endif()

  get_property(_root GLOBAL PROPERTY PEAT_PROTO_DIR)
  file(GLOB_RECURSE _protos RELATIVE "${_root}" CONFIGURE_DEPENDS "${_root}/*.proto")
  if(NOT _protos)
    message(FATAL_ERROR "peat_generate_cpp: no .proto files under ${_root}")
  endif()
  list(SORT _protos)
  set(_out "${arg_PROTOC_OUT_DIR}")
  if(NOT _out)
    set(_out "${CMAKE_CURRENT_BINARY_DIR}/${t}_peat_proto")
  endif()
  get_filename_component(_out "${_out}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")

  set(_inputs)
  set(_outputs)
  foreach(p IN LISTS _protos)
    string(REGEX REPLACE "\\.proto$" "" _base "${p}")
    list(APPEND _inputs "${_root}/${p}")
    list(APPEND _outputs "${_out}/${_base}.pb.h" "${_out}/${_base}.pb.cc")
  endforeach()
  # The root comes first: protoc names each file by its path under the first
  # -I that holds it, and that name is what the generated code registers.
  set(_includes -I "${_root}")
  foreach(d IN LISTS arg_IMPORT_DIRS)
    get_filename_component(d "${d}" ABSOLUTE)
    list(APPEND _includes -I "${d}")
  endforeach()
  add_custom_command(
    OUTPUT ${_outputs}
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${_out}"
    COMMAND protobuf::protoc --cpp_out "${_out}" ${_includes} ${_protos}
    DEPENDS ${_inputs} protobuf::protoc
    WORKING_DIRECTORY "${_root}"
    COMMENT "Generating C++ classes of libpeat's .proto files for ${t} with protoc"
    VERBATIM)
  target_sources("${t}" PRIVATE ${_outputs})
  target_include_directories("${t}" SYSTEM PUBLIC "${_out}")
  # Properties rather than target_link_libraries: works whichever signature
  # (keyword or plain) the project uses for ${t}.
  set_property(TARGET "${t}" APPEND PROPERTY LINK_LIBRARIES protobuf::libprotobuf)
  set_property(TARGET "${t}" APPEND PROPERTY INTERFACE_LINK_LIBRARIES protobuf::libprotobuf)
endfunction()

# Defines Peat::proto once (an ALIAS of the static library peat_proto).
function(_peat_add_proto_library)
  if(TARGET Peat::proto)
    return()
  endif()
  if(TARGET peat_proto)
    message(FATAL_ERROR "Peat::proto: this project already has a target named peat_proto")
  endif()
  add_library(peat_proto STATIC)
  set_target_properties(peat_proto PROPERTIES POSITION_INDEPENDENT_CODE ON)
  peat_generate_cpp(TARGET peat_proto PROTOC_OUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/peat_proto")
  add_library(Peat::proto ALIAS peat_proto)
endfunction()
