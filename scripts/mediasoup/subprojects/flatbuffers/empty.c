/* Empty on purpose: mediasoup links each `*_lib` of this subproject with `link_whole`, which needs a
 * static library target. The code itself comes from Debian's shared library (see meson.build). */
