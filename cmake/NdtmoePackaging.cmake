# `cpack -G DEB` (run in the build directory) makes a .deb with both programs, the desktop entry,
# the AppStream metainfo, the icon and the copyright file. Library dependencies are computed by dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME ndtmoe-workbench)
set(CPACK_PACKAGE_VENDOR "NDT-MoE Workbench developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Train, distill and look inside mixtures of experts routed by soft decision trees")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "NDT-MoE Workbench developers <dev@ndtmoe.org>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread")  # Debian's libtorch is 10x slower with the reference BLAS
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
# GPL-3.0-or-later (QCustomPlot is GPL), with the licences of the linked libraries.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION share/doc/ndtmoe-workbench)
include(CPack)
