# Fails when a string in the workbench's sources has no translation, e.g. one added to the sources after
# the .ts file was last refreshed. lupdate reads the sources and include paths the build gives it
# (PROJECT_FILE, written by qt6_add_translations) into a copy of each .ts file; the copy must have no
# unfinished message. Run as a test:
# PLURALS_TS, the English translation of the strings that count (%n), gets the same check over those
# strings alone (lupdate -pluralonly).
#   cmake -DLUPDATE=<lupdate> -DPROJECT_FILE=<build>/app/workbench/.lupdate/<target>_project.cmake
#         -DPLURALS_TS=<translations>/ndtmoe_en.ts -DWORK_DIR=<dir> -P check_translations.cmake
include(${PROJECT_FILE})
set(includes)
foreach(directory IN LISTS lupdate_include_paths)
  list(APPEND includes "-I${directory}")
endforeach()
file(MAKE_DIRECTORY ${WORK_DIR})
foreach(ts IN LISTS lupdate_translations PLURALS_TS)
  set(only)
  if(ts STREQUAL PLURALS_TS)
    set(only -pluralonly)
  endif()
  get_filename_component(name ${ts} NAME)
  set(copy ${WORK_DIR}/${name})
  file(COPY_FILE ${ts} ${copy})
  execute_process(COMMAND ${LUPDATE} -silent -no-obsolete ${only} ${includes} ${lupdate_sources} -ts ${copy} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "lupdate failed (status ${status}) on a copy of ${ts}")
  endif()
  file(READ ${copy} content)
  string(REGEX MATCHALL "<source>[^<]*</source>[ \n]*<translation type=\"unfinished\"" missing "${content}")
  if(missing)
    list(LENGTH missing count)
    set(strings "")
    foreach(message IN LISTS missing)
      string(REGEX REPLACE "^<source>([^<]*)</source>.*" "\n  \\1" message "${message}")
      string(APPEND strings "${message}")
    endforeach()
    message(FATAL_ERROR "${ts}: ${count} string(s) of the sources without a translation (run the lupdate target, then translate):${strings}")
  endif()
endforeach()
