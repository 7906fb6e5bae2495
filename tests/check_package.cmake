# Builds the .deb with cpack and checks what it installs (run by CTest: cmake -DBUILD_DIR=... -P).
execute_process(COMMAND cpack -G DEB WORKING_DIRECTORY ${BUILD_DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cpack failed:\n${out}\n${err}")
endif()
file(GLOB debs ${BUILD_DIR}/packages/ndtmoe-workbench_*.deb)
list(LENGTH debs count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one .deb in ${BUILD_DIR}/packages, found: ${debs}")
endif()
execute_process(COMMAND dpkg-deb --contents ${debs} OUTPUT_VARIABLE contents RESULT_VARIABLE rc)
execute_process(COMMAND dpkg-deb --field ${debs} Package Depends OUTPUT_VARIABLE fields)
foreach(expected
    usr/bin/ndtmoe-workbench usr/bin/ndtmoe
    usr/share/applications/org.ndtmoe.Workbench.desktop
    usr/share/metainfo/org.ndtmoe.Workbench.metainfo.xml
    usr/share/icons/hicolor/scalable/apps/org.ndtmoe.Workbench.svg)
  string(FIND "${contents}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the package lacks ${expected}:\n${contents}")
  endif()
endforeach()
foreach(dependency libqt6widgets6 libsqlite3-0 libopenblas0-pthread)
  string(FIND "${fields}" "${dependency}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the package does not depend on ${dependency}:\n${fields}")
  endif()
endforeach()
message(STATUS "${debs}:\n${fields}")
