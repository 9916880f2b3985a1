# What `cmake --install` puts where (GNUInstallDirs), and the Debian package
# that scripts/package.sh builds from it with CPack.
#
#   bin/convscope, bin/convscope-cli
#   share/applications/convscope.desktop            the desktop's menu entry
#   share/icons/hicolor/NxN/apps/convscope.png      its icon (scripts/make_icons.py)
#   share/man/man1/convscope.1, convscope-cli.1
#   share/doc/convscope/README.md, copyright
#   share/convscope/mnist/*.gz                      the full MNIST, when CONVSCOPE_MNIST_DIR is set
#
# The digits and the shipped model are inside the binaries (core/embedded_resources.hpp).

install(TARGETS convscope convscope-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Not a command for people: the window and the CLI run it to read Keras files
# (core/io/keras_reader_process.hpp).
install(TARGETS convscope-keras-reader RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/convscope)
install(FILES ${PROJECT_SOURCE_DIR}/resources/desktop/convscope.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
foreach(size 16 22 24 32 48 64 128 256)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/hicolor/${size}x${size}/apps/convscope.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()
foreach(page convscope.1 convscope-cli.1)
  set(VERSION ${PROJECT_VERSION})
  configure_file(${PROJECT_SOURCE_DIR}/docs/${page} ${PROJECT_BINARY_DIR}/man/${page} @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/man/${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/convscope)

set(CONVSCOPE_MNIST_DIR "" CACHE PATH
    "A folder holding the full MNIST (four IDX files, .gz), installed into share/convscope/mnist")
if(CONVSCOPE_MNIST_DIR)
  set(mnist_files "")
  foreach(stem train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
    if(NOT EXISTS ${CONVSCOPE_MNIST_DIR}/${stem}.gz)
      message(FATAL_ERROR "CONVSCOPE_MNIST_DIR=${CONVSCOPE_MNIST_DIR} has no ${stem}.gz "
                          "(scripts/fetch_mnist.sh DIR puts the four files there)")
    endif()
    list(APPEND mnist_files ${CONVSCOPE_MNIST_DIR}/${stem}.gz)
  endforeach()
  install(FILES ${mnist_files} DESTINATION ${CMAKE_INSTALL_DATADIR}/convscope/mnist)
endif()

# The Debian package: convscope_<version>_amd64.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME convscope)
set(CPACK_PACKAGE_VENDOR "ConvScope")
set(CPACK_PACKAGE_CONTACT "ConvScope developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "see and feel how a convolutional neural network learns")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"see and feel how a convolutional neural network learns
 ConvScope trains LeNet-5 one mini-batch at a time and shows every number on
 the way: the input images, the feature maps after every convolution and
 pooling layer, the kernels, the curves and the gradients. A digit drawn with
 the mouse is read by the network as it trains. convscope-cli trains,
 evaluates and runs the same core from a terminal.
 .
 This package carries the full MNIST (60,000 + 10,000 digits) as well as
 10,000 digits built into the program, so that it works offline.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the binaries' libraries (dpkg-shlibdeps), plus what Qt loads
# at run time: the platform plugins (xcb, offscreen) are not linked.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "dataset-fashion-mnist")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)
