# What `cmake --install` puts besides the executable, the module, the man page and the
# completions (cli/CMakeLists.txt), and the Debian package built from it with CPack
# (scripts/package). The version is project(VERSION) of the top-level CMakeLists.txt, the one
# place it is set: --version, the man page and the package all read it.
include(GNUInstallDirs)

# The examples, where the installed `bgplan demo` finds examples/demo (cli/demo.cc looks in
# <bin>/../share/bgplan/examples), and the documentation with the README whose links point into
# it. share/doc/bgplan/examples links to the examples, so the README's links resolve there too.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DATADIR}/bgplan/examples)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
  FILES_MATCHING PATTERN "*.md")
install(CODE "
  set(link \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}/examples\")
  file(REMOVE \"\${link}\")
  file(CREATE_LINK ../../bgplan/examples \"\${link}\" SYMBOLIC)
  message(STATUS \"Installing: \${link} -> ../../bgplan/examples\")
")

# `ninja install` and cpack do not build first: scripts/package builds, then packages, so that a
# package test (tests/package) never rebuilds a tree other tests are running from.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(BGPLAN_PACKAGE_MAINTAINER
  "bgplan maintainers <maintainers@users.noreply.b-seed-df76e904.example>"
  CACHE STRING "Maintainer field of the Debian package")
set(BGPLAN_HOMEPAGE "https://bgplan.invalid/" CACHE STRING "Homepage field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bgplan)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${BGPLAN_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${BGPLAN_HOMEPAGE}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "blue/green deployments of Materialize and PostgreSQL schemas and clusters")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # bgplan_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${BGPLAN_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${BGPLAN_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The extended description; CPack puts the summary above it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "bgplan compiles a small .bgplan file, checked into version control, into the
SQL of each phase of a blue/green deployment (init, await, promote, rollback,
cleanup), checks it against the live catalog, and runs it with a lock, a
journal, rollback and resume after a crash. It re-implements the
dbt-materialize deploy_init / deploy_await / deploy_promote / deploy_cleanup
workflow. `bgplan demo` runs a full cycle on a throwaway local PostgreSQL.")
# The shared libraries the executable and libbgplan_live.so link (libpqxx, libpq, libssl,
# toml++, yaml-cpp, libstdc++, ...; the ANTLR runtime is linked statically), found by
# dpkg-shlibdeps (dpkg-dev, scripts/setup); listed by hand when it is missing.
find_program(BGPLAN_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(BGPLAN_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6, libstdc++6, libgcc-s1, libpqxx-6.4, libpq5, libssl3, libtomlplusplus3, libyaml-cpp0.7")
endif()
# `bgplan demo` starts a local PostgreSQL server.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS postgresql)
include(CPack)
