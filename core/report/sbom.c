/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbom.c: CycloneDX 1.5 and SPDX 2.3 JSON documents of one image (see
 * sbom.h). The image and its packages are read once into a model (struct
 * sbom_model); both writers print the same facts in the same order.
 */
#include "core/common.h"
#include "core/report/sbom.h"

#include <jansson.h>
#include "core/lib-crypto.h"

#include "core/arena.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/finding.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"
#include "core/version.h"
#include "core/xmalloc.h"

/* The SPDX license list (3.28: the enum of CycloneDX's spdx.schema.json,
 * licenses then exceptions), sorted without regard to ASCII case. */
static const char *const sbom_spdx_licenses[] = {
	"0BSD", "3D-Slicer-1.0", "AAL", "Abstyles", "AdaCore-doc",
	"Adobe-2006", "Adobe-Display-PostScript", "Adobe-Glyph",
	"Adobe-Utopia", "ADSL", "Advanced-Cryptics-Dictionary", "AFL-1.1",
	"AFL-1.2", "AFL-2.0", "AFL-2.1", "AFL-3.0", "Afmparse", "AGPL-1.0",
	"AGPL-1.0-only", "AGPL-1.0-or-later", "AGPL-3.0", "AGPL-3.0-only",
	"AGPL-3.0-or-later", "Aladdin", "ALGLIB-Documentation", "AMD-newlib",
	"AMDPLPA", "AML", "AML-glslang", "AMPAS", "ANTLR-PD",
	"ANTLR-PD-fallback", "any-OSI", "any-OSI-perl-modules", "Apache-1.0",
	"Apache-1.1", "Apache-2.0", "APAFML", "APL-1.0", "App-s2p", "APSL-1.0",
	"APSL-1.1", "APSL-1.2", "APSL-2.0", "Arphic-1999", "Artistic-1.0",
	"Artistic-1.0-cl8", "Artistic-1.0-Perl", "Artistic-2.0",
	"Artistic-dist", "Aspell-RU", "ASWF-Digital-Assets-1.0",
	"ASWF-Digital-Assets-1.1", "Baekmuk", "Bahyph", "Barr",
	"bcrypt-Solar-Designer", "Beerware", "Bitstream-Charter",
	"Bitstream-Vera", "BitTorrent-1.0", "BitTorrent-1.1", "blessing",
	"BlueOak-1.0.0", "Boehm-GC", "Boehm-GC-without-fee", "BOLA-1.1",
	"Borceux", "Brian-Gladman-2-Clause", "Brian-Gladman-3-Clause",
	"BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Darwin",
	"BSD-2-Clause-first-lines", "BSD-2-Clause-FreeBSD",
	"BSD-2-Clause-NetBSD", "BSD-2-Clause-Patent",
	"BSD-2-Clause-pkgconf-disclaimer", "BSD-2-Clause-Views",
	"BSD-3-Clause", "BSD-3-Clause-acpica", "BSD-3-Clause-Attribution",
	"BSD-3-Clause-Clear", "BSD-3-Clause-flex", "BSD-3-Clause-HP",
	"BSD-3-Clause-LBNL", "BSD-3-Clause-Modification",
	"BSD-3-Clause-No-Military-License", "BSD-3-Clause-No-Nuclear-License",
	"BSD-3-Clause-No-Nuclear-License-2014",
	"BSD-3-Clause-No-Nuclear-Warranty", "BSD-3-Clause-Open-MPI",
	"BSD-3-Clause-Sun", "BSD-3-Clause-Tso", "BSD-4-Clause",
	"BSD-4-Clause-Shortened", "BSD-4-Clause-UC", "BSD-4.3RENO",
	"BSD-4.3TAHOE", "BSD-Advertising-Acknowledgement",
	"BSD-Attribution-HPND-disclaimer", "BSD-Inferno-Nettverk",
	"BSD-Mark-Modifications", "BSD-Protection",
	"BSD-Source-beginning-file", "BSD-Source-Code", "BSD-Systemics",
	"BSD-Systemics-W3Works", "BSL-1.0", "Buddy", "BUSL-1.1", "bzip2-1.0.5",
	"bzip2-1.0.6", "C-UDA-1.0", "CAL-1.0",
	"CAL-1.0-Combined-Work-Exception", "Caldera", "Caldera-no-preamble",
	"CAPEC-tou", "Catharon", "CATOSL-1.1", "CC-BY-1.0", "CC-BY-2.0",
	"CC-BY-2.5", "CC-BY-2.5-AU", "CC-BY-3.0", "CC-BY-3.0-AT",
	"CC-BY-3.0-AU", "CC-BY-3.0-DE", "CC-BY-3.0-IGO", "CC-BY-3.0-NL",
	"CC-BY-3.0-US", "CC-BY-4.0", "CC-BY-NC-1.0", "CC-BY-NC-2.0",
	"CC-BY-NC-2.5", "CC-BY-NC-3.0", "CC-BY-NC-3.0-DE", "CC-BY-NC-4.0",
	"CC-BY-NC-ND-1.0", "CC-BY-NC-ND-2.0", "CC-BY-NC-ND-2.5",
	"CC-BY-NC-ND-3.0", "CC-BY-NC-ND-3.0-DE", "CC-BY-NC-ND-3.0-IGO",
	"CC-BY-NC-ND-4.0", "CC-BY-NC-SA-1.0", "CC-BY-NC-SA-2.0",
	"CC-BY-NC-SA-2.0-DE", "CC-BY-NC-SA-2.0-FR", "CC-BY-NC-SA-2.0-UK",
	"CC-BY-NC-SA-2.5", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-3.0-DE",
	"CC-BY-NC-SA-3.0-IGO", "CC-BY-NC-SA-4.0", "CC-BY-ND-1.0",
	"CC-BY-ND-2.0", "CC-BY-ND-2.5", "CC-BY-ND-3.0", "CC-BY-ND-3.0-DE",
	"CC-BY-ND-4.0", "CC-BY-SA-1.0", "CC-BY-SA-2.0", "CC-BY-SA-2.0-UK",
	"CC-BY-SA-2.1-JP", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-3.0-AT",
	"CC-BY-SA-3.0-DE", "CC-BY-SA-3.0-IGO", "CC-BY-SA-4.0", "CC-PDDC",
	"CC-PDM-1.0", "CC-SA-1.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1",
	"CDL-1.0", "CDLA-Permissive-1.0", "CDLA-Permissive-2.0",
	"CDLA-Sharing-1.0", "CECILL-1.0", "CECILL-1.1", "CECILL-2.0",
	"CECILL-2.1", "CECILL-B", "CECILL-C", "CERN-OHL-1.1", "CERN-OHL-1.2",
	"CERN-OHL-P-2.0", "CERN-OHL-S-2.0", "CERN-OHL-W-2.0", "CFITSIO",
	"check-cvs", "checkmk", "ClArtistic", "Clips", "CMU-Mach",
	"CMU-Mach-nodoc", "CNRI-Jython", "CNRI-Python",
	"CNRI-Python-GPL-Compatible", "COIL-1.0", "Community-Spec-1.0",
	"Condor-1.1", "copyleft-next-0.3.0", "copyleft-next-0.3.1",
	"Cornell-Lossless-JPEG", "CPAL-1.0", "CPL-1.0", "CPOL-1.02", "Cronyx",
	"Crossword", "CryptoSwift", "CrystalStacker", "CUA-OPL-1.0", "Cube",
	"curl", "cve-tou", "D-FSL-1.0", "DEC-3-Clause", "diffmark",
	"DL-DE-BY-2.0", "DL-DE-ZERO-2.0", "DOC", "DocBook-DTD",
	"DocBook-Schema", "DocBook-Stylesheet", "DocBook-XML", "Dotseqn",
	"DRL-1.0", "DRL-1.1", "DSDP", "dtoa", "dvipdfm", "ECL-1.0", "ECL-2.0",
	"eCos-2.0", "EFL-1.0", "EFL-2.0", "eGenix", "Elastic-2.0", "Entessa",
	"EPICS", "EPL-1.0", "EPL-2.0", "ErlPL-1.1", "ESA-PL-permissive-2.4",
	"ESA-PL-strong-copyleft-2.4", "ESA-PL-weak-copyleft-2.4", "etalab-2.0",
	"EUDatagrid", "EUPL-1.0", "EUPL-1.1", "EUPL-1.2", "Eurosym", "Fair",
	"FBM", "FDK-AAC", "Ferguson-Twofish", "Frameworx-1.0", "FreeBSD-DOC",
	"FreeImage", "FSFAP", "FSFAP-no-warranty-disclaimer", "FSFUL",
	"FSFULLR", "FSFULLRSD", "FSFULLRWD", "FSL-1.1-ALv2", "FSL-1.1-MIT",
	"FTL", "Furuseth", "fwlw", "Game-Programming-Gems", "GCR-docs", "GD",
	"generic-xts", "GFDL-1.1", "GFDL-1.1-invariants-only",
	"GFDL-1.1-invariants-or-later", "GFDL-1.1-no-invariants-only",
	"GFDL-1.1-no-invariants-or-later", "GFDL-1.1-only",
	"GFDL-1.1-or-later", "GFDL-1.2", "GFDL-1.2-invariants-only",
	"GFDL-1.2-invariants-or-later", "GFDL-1.2-no-invariants-only",
	"GFDL-1.2-no-invariants-or-later", "GFDL-1.2-only",
	"GFDL-1.2-or-later", "GFDL-1.3", "GFDL-1.3-invariants-only",
	"GFDL-1.3-invariants-or-later", "GFDL-1.3-no-invariants-only",
	"GFDL-1.3-no-invariants-or-later", "GFDL-1.3-only",
	"GFDL-1.3-or-later", "Giftware", "GL2PS", "Glide", "Glulxe", "GLWTPL",
	"gnuplot", "GPL-1.0", "GPL-1.0+", "GPL-1.0-only", "GPL-1.0-or-later",
	"GPL-2.0", "GPL-2.0+", "GPL-2.0-only", "GPL-2.0-or-later",
	"GPL-2.0-with-autoconf-exception", "GPL-2.0-with-bison-exception",
	"GPL-2.0-with-classpath-exception", "GPL-2.0-with-font-exception",
	"GPL-2.0-with-GCC-exception", "GPL-3.0", "GPL-3.0+", "GPL-3.0-only",
	"GPL-3.0-or-later", "GPL-3.0-with-autoconf-exception",
	"GPL-3.0-with-GCC-exception", "Graphics-Gems", "gSOAP-1.3b", "gtkbook",
	"Gutmann", "HaskellReport", "HDF5", "hdparm", "HIDAPI",
	"Hippocratic-2.1", "HP-1986", "HP-1989", "HPND", "HPND-DEC",
	"HPND-doc", "HPND-doc-sell", "HPND-export-US",
	"HPND-export-US-acknowledgement", "HPND-export-US-modify",
	"HPND-export2-US", "HPND-Fenneberg-Livingston", "HPND-INRIA-IMAG",
	"HPND-Intel", "HPND-Kevlin-Henney", "HPND-Markus-Kuhn",
	"HPND-merchantability-variant", "HPND-MIT-disclaimer", "HPND-Netrek",
	"HPND-Pbmplus", "HPND-sell-MIT-disclaimer-xserver",
	"HPND-sell-regexpr", "HPND-sell-variant",
	"HPND-sell-variant-critical-systems",
	"HPND-sell-variant-MIT-disclaimer",
	"HPND-sell-variant-MIT-disclaimer-rev", "HPND-SMC", "HPND-UC",
	"HPND-UC-export-US", "HTMLTIDY", "hyphen-bulgarian", "IBM-pibs", "ICU",
	"IEC-Code-Components-EULA", "IJG", "IJG-short", "ImageMagick",
	"iMatix", "Imlib2", "Info-ZIP", "Inner-Net-2.0", "InnoSetup", "Intel",
	"Intel-ACPI", "Interbase-1.0", "IPA", "IPL-1.0", "ISC", "ISC-Veillard",
	"ISO-permission", "Jam", "JasPer-2.0", "jove", "JPL-image", "JPNIC",
	"JSON", "Kastrup", "Kazlib", "Knuth-CTAN", "LAL-1.2", "LAL-1.3",
	"Latex2e", "Latex2e-translated-notice", "Leptonica", "LGPL-2.0",
	"LGPL-2.0+", "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1",
	"LGPL-2.1+", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0",
	"LGPL-3.0+", "LGPL-3.0-only", "LGPL-3.0-or-later", "LGPLLR", "Libpng",
	"libpng-1.6.35", "libpng-2.0", "libselinux-1.0", "libtiff",
	"libutil-David-Nugent", "LiLiQ-P-1.1", "LiLiQ-R-1.1",
	"LiLiQ-Rplus-1.1", "Linux-man-pages-1-para",
	"Linux-man-pages-copyleft", "Linux-man-pages-copyleft-2-para",
	"Linux-man-pages-copyleft-var", "Linux-OpenIB", "LOOP", "LPD-document",
	"LPL-1.0", "LPL-1.02", "LPPL-1.0", "LPPL-1.1", "LPPL-1.2", "LPPL-1.3a",
	"LPPL-1.3c", "lsof", "Lucida-Bitmap-Fonts", "LZMA-SDK-9.11-to-9.20",
	"LZMA-SDK-9.22", "Mackerras-3-Clause",
	"Mackerras-3-Clause-acknowledgment", "magaz", "mailprio", "MakeIndex",
	"man2html", "Martin-Birgmeier", "McPhee-slideshow", "metamail",
	"Minpack", "MIPS", "MirOS", "MIT", "MIT-0", "MIT-advertising",
	"MIT-Click", "MIT-CMU", "MIT-enna", "MIT-feh", "MIT-Festival",
	"MIT-Khronos-old", "MIT-Modern-Variant", "MIT-open-group", "MIT-STK",
	"MIT-testregex", "MIT-Wu", "MITNFA", "MMIXware", "MMPL-1.0.1",
	"Motosoto", "MPEG-SSG", "mpi-permissive", "mpich2", "MPL-1.0",
	"MPL-1.1", "MPL-2.0", "MPL-2.0-no-copyleft-exception", "mplus",
	"MS-LPL", "MS-PL", "MS-RL", "MTLL", "MulanPSL-1.0", "MulanPSL-2.0",
	"Multics", "Mup", "NAIST-2003", "NASA-1.3", "Naumen", "NBPL-1.0",
	"NCBI-PD", "NCGL-UK-2.0", "NCL", "NCSA", "Net-SNMP", "NetCDF",
	"Newsletr", "NGPL", "ngrep", "NICTA-1.0", "NIST-PD",
	"NIST-PD-fallback", "NIST-PD-TNT", "NIST-Software", "NLOD-1.0",
	"NLOD-2.0", "NLPL", "Nokia", "NOSL", "Noweb", "NPL-1.0", "NPL-1.1",
	"NPOSL-3.0", "NRL", "NTIA-PD", "NTP", "NTP-0", "Nunit", "O-UDA-1.0",
	"OAR", "OCCT-PL", "OCLC-2.0", "ODbL-1.0", "ODC-By-1.0", "OFFIS",
	"OFL-1.0", "OFL-1.0-no-RFN", "OFL-1.0-RFN", "OFL-1.1",
	"OFL-1.1-no-RFN", "OFL-1.1-RFN", "OGC-1.0", "OGDL-Taiwan-1.0",
	"OGL-Canada-2.0", "OGL-UK-1.0", "OGL-UK-2.0", "OGL-UK-3.0", "OGTSL",
	"OLDAP-1.1", "OLDAP-1.2", "OLDAP-1.3", "OLDAP-1.4", "OLDAP-2.0",
	"OLDAP-2.0.1", "OLDAP-2.1", "OLDAP-2.2", "OLDAP-2.2.1", "OLDAP-2.2.2",
	"OLDAP-2.3", "OLDAP-2.4", "OLDAP-2.5", "OLDAP-2.6", "OLDAP-2.7",
	"OLDAP-2.8", "OLFL-1.3", "OML", "OpenMDW-1.0", "OpenPBS-2.3",
	"OpenSSL", "OpenSSL-standalone", "OpenVision", "OPL-1.0", "OPL-UK-3.0",
	"OPUBL-1.0", "OSC-1.0", "OSET-PL-2.1", "OSL-1.0", "OSL-1.1", "OSL-2.0",
	"OSL-2.1", "OSL-3.0", "OSSP", "PADL", "ParaType-Free-Font-1.3",
	"Parity-6.0.0", "Parity-7.0.0", "PDDL-1.0", "PHP-3.0", "PHP-3.01",
	"Pixar", "pkgconf", "Plexus", "pnmstitch",
	"PolyForm-Noncommercial-1.0.0", "PolyForm-Small-Business-1.0.0",
	"PostgreSQL", "PPL", "PSF-2.0", "psfrag", "psutils", "Python-2.0",
	"Python-2.0.1", "python-ldap", "Qhull", "QPL-1.0",
	"QPL-1.0-INRIA-2004", "radvd", "Rdisc", "RHeCos-1.1", "RPL-1.1",
	"RPL-1.5", "RPSL-1.0", "RSA-MD", "RSCPL", "Ruby", "Ruby-pty", "SAX-PD",
	"SAX-PD-2.0", "Saxpath", "SCEA", "SchemeReport", "Sendmail",
	"Sendmail-8.23", "Sendmail-Open-Source-1.1", "SGI-B-1.0", "SGI-B-1.1",
	"SGI-B-2.0", "SGI-OpenGL", "SGMLUG-PM", "SGP4", "SHL-0.5", "SHL-0.51",
	"SimPL-2.0", "SISSL", "SISSL-1.2", "SL", "Sleepycat", "SMAIL-GPL",
	"SMLNJ", "SMPPL", "SNIA", "snprintf", "SOFA", "softSurfer", "Soundex",
	"Spencer-86", "Spencer-94", "Spencer-99", "SPL-1.0", "ssh-keyscan",
	"SSH-OpenSSH", "SSH-short", "SSLeay-standalone", "SSPL-1.0",
	"StandardML-NJ", "SugarCRM-1.1.3", "SUL-1.0", "Sun-PPP",
	"Sun-PPP-2000", "SunPro", "SWL", "swrule", "Symlinks", "TAPR-OHL-1.0",
	"TCL", "TCP-wrappers", "TekHVC", "TermReadKey", "TGPPL-1.0",
	"ThirdEye", "threeparttable", "TMate", "TORQUE-1.1", "TOSL", "TPDL",
	"TPL-1.0", "TrustedQSL", "TTWL", "TTYP0", "TU-Berlin-1.0",
	"TU-Berlin-2.0", "Ubuntu-font-1.0", "UCAR", "UCL-1.0", "ulem",
	"UMich-Merit", "Unicode-3.0", "Unicode-DFS-2015", "Unicode-DFS-2016",
	"Unicode-TOU", "UnixCrypt", "Unlicense", "Unlicense-libtelnet",
	"Unlicense-libwhirlpool", "UnRAR", "UPL-1.0", "URT-RLE", "Vim",
	"Vixie-Cron", "VOSTROM", "VSL-1.0", "W3C", "W3C-19980720",
	"W3C-20150513", "w3m", "Watcom-1.0", "Widget-Workshop", "WordNet",
	"Wsuipa", "WTFNMFPL", "WTFPL", "wwl", "wxWindows", "X11",
	"X11-distribute-modifications-variant", "X11-no-permit-persons",
	"X11-swapped", "Xdebug-1.03", "Xerox", "Xfig", "XFree86-1.1", "xinetd",
	"xkeyboard-config-Zinoviev", "xlock", "Xnet", "xpp", "XSkat", "xzoom",
	"YPL-1.0", "YPL-1.1", "Zed", "Zeeff", "Zend-2.0", "Zimbra-1.3",
	"Zimbra-1.4", "Zlib", "zlib-acknowledgement", "ZPL-1.1", "ZPL-2.0",
	"ZPL-2.1",
};

static const char *const sbom_spdx_exceptions[] = {
	"389-exception", "Asterisk-exception",
	"Asterisk-linking-protocols-exception", "Autoconf-exception-2.0",
	"Autoconf-exception-3.0", "Autoconf-exception-generic",
	"Autoconf-exception-generic-3.0", "Autoconf-exception-macro",
	"Bison-exception-1.24", "Bison-exception-2.2", "Bootloader-exception",
	"CGAL-linking-exception", "Classpath-exception-2.0",
	"Classpath-exception-2.0-short", "CLISP-exception-2.0",
	"cryptsetup-OpenSSL-exception", "Digia-Qt-LGPL-exception-1.1",
	"DigiRule-FOSS-exception", "eCos-exception-2.0",
	"erlang-otp-linking-exception", "Fawkes-Runtime-exception",
	"FLTK-exception", "fmt-exception", "Font-exception-2.0",
	"freertos-exception-2.0", "GCC-exception-2.0",
	"GCC-exception-2.0-note", "GCC-exception-3.1", "Gmsh-exception",
	"GNAT-exception", "GNOME-examples-exception", "GNU-compiler-exception",
	"gnu-javamail-exception", "GPL-3.0-389-ds-base-exception",
	"GPL-3.0-interface-exception", "GPL-3.0-linking-exception",
	"GPL-3.0-linking-source-exception", "GPL-CC-1.0",
	"GStreamer-exception-2005", "GStreamer-exception-2008",
	"harbour-exception", "i2p-gpl-java-exception",
	"Independent-modules-exception", "KiCad-libraries-exception",
	"kvirc-openssl-exception", "LGPL-3.0-linking-exception",
	"libpri-OpenH323-exception", "Libtool-exception", "Linux-syscall-note",
	"LLGPL", "LLVM-exception", "LZMA-exception", "mif-exception",
	"mxml-exception", "Nokia-Qt-exception-1.1",
	"OCaml-LGPL-linking-exception", "OCCT-exception-1.0",
	"OpenJDK-assembly-exception-1.0", "openvpn-openssl-exception",
	"PCRE2-exception", "polyparse-exception",
	"PS-or-PDF-font-exception-20170817", "QPL-1.0-INRIA-2004-exception",
	"Qt-GPL-exception-1.0", "Qt-LGPL-exception-1.1", "Qwt-exception-1.0",
	"romic-exception", "RRDtool-FLOSS-exception-2.0",
	"rsync-linking-exception", "SANE-exception", "SHL-2.0", "SHL-2.1",
	"Simple-Library-Usage-exception", "sqlitestudio-OpenSSL-exception",
	"stunnel-exception", "SWI-exception", "Swift-exception",
	"Texinfo-exception", "u-boot-exception-2.0", "UBDL-exception",
	"Universal-FOSS-exception-1.0", "vsftpd-openssl-exception",
	"WxWindows-exception-3.1", "x11vnc-openssl-exception",
};

/* ---- SPDX license expressions (SPDX 2.3 annex D) ---- */

#define SBOM_LIC_MAXLEN 4096 /* longer text is not checked */
#define SBOM_LIC_MAXDEPTH 16 /* nested parentheses */

enum sbom_tok {
	SBOM_T_END,
	SBOM_T_LP,
	SBOM_T_RP,
	SBOM_T_WORD,
};

struct sbom_lex {
	const char *p;	 /* the next byte */
	const char *w;	 /* the current token */
	size_t n;
	enum sbom_tok t;
	struct sbuf *out; /* canonical form, or NULL */
	bool open;	  /* nothing, or "(", was written last */
	int nwords;	  /* ids and operators seen */
};

static int
sbom_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Compare w[0..n) with s without regard to ASCII case. */
static int
sbom_casecmp(const char *w, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n && s[i] != '\0'; i++) {
		int a = sbom_lower((unsigned char)w[i]);
		int b = sbom_lower((unsigned char)s[i]);
		if (a != b)
			return a - b;
	}
	if (i < n)
		return 1;
	return s[i] == '\0' ? 0 : -1;
}

/* The listed spelling of the id w[0..n) in v, or NULL. */
static const char *
sbom_lic_find(const char *const *v, size_t nv, const char *w, size_t n)
{
	size_t lo = 0, hi = nv;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = sbom_casecmp(w, n, v[mid]);
		if (c == 0)
			return v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool
sbom_lic_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
sbom_lex_next(struct sbom_lex *x)
{
	while (sbom_lic_space((unsigned char)*x->p))
		x->p++;
	x->w = x->p;
	x->n = 0;
	if (*x->p == '\0') {
		x->t = SBOM_T_END;
		return;
	}
	if (*x->p == '(' || *x->p == ')') {
		x->t = *x->p == '(' ? SBOM_T_LP : SBOM_T_RP;
		x->n = 1;
		x->p++;
		return;
	}
	while (*x->p != '\0' && *x->p != '(' && *x->p != ')' &&
	    !sbom_lic_space((unsigned char)*x->p))
		x->p++;
	x->t = SBOM_T_WORD;
	x->n = (size_t)(x->p - x->w);
}

static bool
sbom_lex_is(const struct sbom_lex *x, const char *op)
{
	return x->t == SBOM_T_WORD && x->n == strlen(op) &&
	    memcmp(x->w, op, x->n) == 0;
}

static void
sbom_lex_put(struct sbom_lex *x, const char *s, size_t n)
{
	if (x->out == NULL)
		return;
	if (!x->open && !(n == 1 && s[0] == ')'))
		sbuf_addch(x->out, ' ');
	sbuf_add(x->out, s, n);
	x->open = n == 1 && s[0] == '(';
}

static bool sbom_lic_or(struct sbom_lex *x, int depth);

/* term := "(" or-expr ")" | license-id ["+"] ["WITH" exception-id] */
static bool
sbom_lic_term(struct sbom_lex *x, int depth)
{
	const char *id;

	if (x->t == SBOM_T_LP) {
		if (depth >= SBOM_LIC_MAXDEPTH)
			return false;
		sbom_lex_put(x, "(", 1);
		sbom_lex_next(x);
		if (!sbom_lic_or(x, depth + 1) || x->t != SBOM_T_RP)
			return false;
		sbom_lex_put(x, ")", 1);
		sbom_lex_next(x);
		return true;
	}
	if (x->t != SBOM_T_WORD || sbom_lex_is(x, "AND") ||
	    sbom_lex_is(x, "OR") || sbom_lex_is(x, "WITH"))
		return false;
	x->nwords++;
	id = sbom_lic_find(sbom_spdx_licenses, ARRAY_SIZE(sbom_spdx_licenses),
	    x->w, x->n);
	if (id != NULL) {
		sbom_lex_put(x, id, strlen(id));
	} else if (x->n > 1 && x->w[x->n - 1] == '+' &&
	    (id = sbom_lic_find(sbom_spdx_licenses,
		 ARRAY_SIZE(sbom_spdx_licenses), x->w, x->n - 1)) != NULL) {
		sbom_lex_put(x, id, strlen(id));
		if (x->out != NULL)
			sbuf_addch(x->out, '+');
		x->nwords++; /* "+" makes it an expression */
	} else {
		return false;
	}
	sbom_lex_next(x);
	if (sbom_lex_is(x, "WITH")) {
		x->nwords++;
		sbom_lex_put(x, "WITH", 4);
		sbom_lex_next(x);
		if (x->t != SBOM_T_WORD ||
		    (id = sbom_lic_find(sbom_spdx_exceptions,
			 ARRAY_SIZE(sbom_spdx_exceptions), x->w, x->n)) ==
			NULL)
			return false;
		sbom_lex_put(x, id, strlen(id));
		sbom_lex_next(x);
	}
	return true;
}

/* and-expr := term {"AND" term} */
static bool
sbom_lic_and(struct sbom_lex *x, int depth)
{
	if (!sbom_lic_term(x, depth))
		return false;
	while (sbom_lex_is(x, "AND")) {
		x->nwords++;
		sbom_lex_put(x, "AND", 3);
		sbom_lex_next(x);
		if (!sbom_lic_term(x, depth))
			return false;
	}
	return true;
}

/* or-expr := and-expr {"OR" and-expr} */
static bool
sbom_lic_or(struct sbom_lex *x, int depth)
{
	if (!sbom_lic_and(x, depth))
		return false;
	while (sbom_lex_is(x, "OR")) {
		x->nwords++;
		sbom_lex_put(x, "OR", 2);
		sbom_lex_next(x);
		if (!sbom_lic_and(x, depth))
			return false;
	}
	return true;
}

enum sbom_license
sbom_license_check(const char *s, struct sbuf *canon)
{
	struct sbuf tmp = SBUF_INIT;
	struct sbom_lex x;
	enum sbom_license r = SBOM_LIC_NONE;
	bool paren;

	if (s == NULL || strlen(s) > SBOM_LIC_MAXLEN)
		return SBOM_LIC_NONE;
	memset(&x, 0, sizeof(x));
	x.p = s;
	x.out = &tmp;
	x.open = true;
	sbom_lex_next(&x);
	paren = x.t == SBOM_T_LP;
	if (sbom_lic_or(&x, 0) && x.t == SBOM_T_END) {
		r = x.nwords == 1 && !paren ? SBOM_LIC_ID : SBOM_LIC_EXPR;
		if (canon != NULL)
			sbuf_add(canon, tmp.buf, tmp.len);
	}
	sbuf_release(&tmp);
	return r;
}

/* ---- the model ---- */

struct sbom_pkg {
	const char *name, *version, *ecosystem, *purl, *source, *arch,
	    *license, *path, *diff_id, *created_by;
	const char *ref;    /* CycloneDX bom-ref (unique) */
	const char *spdxid; /* SPDX element id (unique) */
	enum sbom_license lic;
	const char *lic_canon; /* the canonical expression when lic != NONE */
};

struct sbom_model {
	struct arena a;
	bool found;
	int64_t image_id;
	const char *ref, *config_digest, *manifest_digest, *tags, *os, *arch,
	    *variant;
	int64_t created;
	bool has_created;
	const char *name;     /* ref, else the config digest */
	const char *image_ref; /* the image's bom-ref */
	const char *case_id, *head;
	char uuid[37];
	struct sbom_pkg *pkgs;
	size_t npkgs, apkgs;
};

static const char *
sbom_dup(struct sbom_model *m, const struct rowq_row *r, int col)
{
	if (rowq_null(r, col))
		return NULL;
	return arena_strdup(&m->a, rowq_text(r, col));
}

static int
sbom_image_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct sbom_model *m = user;

	(void)e;
	m->found = true;
	m->ref = sbom_dup(m, r, 0);
	m->config_digest = sbom_dup(m, r, 1);
	m->manifest_digest = sbom_dup(m, r, 2);
	m->tags = sbom_dup(m, r, 3);
	m->os = sbom_dup(m, r, 4);
	m->arch = sbom_dup(m, r, 5);
	m->variant = sbom_dup(m, r, 6);
	m->has_created = !rowq_null(r, 7);
	m->created = rowq_int(r, 7);
	if (m->config_digest == NULL)
		m->config_digest = "";
	return 0;
}

static int
sbom_pkg_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct sbom_model *m = user;
	struct sbom_pkg *p;

	(void)e;
	if (m->npkgs == m->apkgs) {
		m->apkgs = m->apkgs ? m->apkgs * 2 : 64;
		m->pkgs = xreallocarray(m->pkgs, m->apkgs, sizeof(*m->pkgs));
	}
	p = &m->pkgs[m->npkgs++];
	memset(p, 0, sizeof(*p));
	p->name = sbom_dup(m, r, 0);
	p->version = sbom_dup(m, r, 1);
	p->ecosystem = sbom_dup(m, r, 2);
	p->purl = sbom_dup(m, r, 3);
	p->source = sbom_dup(m, r, 4);
	p->arch = sbom_dup(m, r, 5);
	p->license = sbom_dup(m, r, 6);
	p->path = sbom_dup(m, r, 7);
	p->diff_id = sbom_dup(m, r, 8);
	p->created_by = sbom_dup(m, r, 9);
	if (p->name == NULL)
		p->name = "";
	if (p->version == NULL)
		p->version = "";
	if (p->purl != NULL && p->purl[0] == '\0')
		p->purl = NULL;
	return 0;
}

/* A set of strings (open addressing; the caller sizes it). */
struct sbom_set {
	const char **v;
	size_t cap; /* a power of two, more than twice the entries */
};

/* Add s unless present; false when it was. */
static bool
sbom_set_add(struct sbom_set *u, const char *s)
{
	size_t i = (size_t)hash64(0, s, strlen(s)) & (u->cap - 1);

	while (u->v[i] != NULL) {
		if (strcmp(u->v[i], s) == 0)
			return false;
		i = (i + 1) & (u->cap - 1);
	}
	u->v[i] = s;
	return true;
}

/* base, or base SEP 2, base SEP 3...: the first not yet in u (added). */
static const char *
sbom_unique(struct sbom_model *m, struct sbom_set *u, const char *base,
    const char *sep)
{
	const char *c = base;
	size_t k;

	for (k = 2; !sbom_set_add(u, c); k++)
		c = arena_printf(&m->a, "%s%s%zu", base, sep, k);
	return c;
}

/* The SPDX element id of a package: "SPDXRef-Package-NAME-VERSION" with
 * bytes other than letters, digits, '.' and '-' made '-'. */
static const char *
sbom_spdxid_base(struct sbom_model *m, const struct sbom_pkg *p)
{
	char *s = arena_printf(&m->a, "SPDXRef-Package-%s-%s", p->name,
	    p->version), *q;

	for (q = s + strlen("SPDXRef-Package-"); *q; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			(*q >= '0' && *q <= '9') || *q == '.' || *q == '-'))
			*q = '-';
	return s;
}

/* RFC 4122 version 5 UUID (SHA-1, URL namespace) of name. */
static int
sbom_uuid5(const char *name, char out[37], struct dd_err *e)
{
	static const uint8_t ns_url[16] = { 0x6b, 0xa7, 0xb8, 0x11, 0x9d,
		0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
		0xc8 };
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned dn = 0;
	char hex[33];
	bool ok;

	ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
	    EVP_DigestUpdate(c, ns_url, sizeof(ns_url)) == 1 &&
	    EVP_DigestUpdate(c, name, strlen(name)) == 1 &&
	    EVP_DigestFinal_ex(c, d, &dn) == 1 && dn >= 16;
	EVP_MD_CTX_free(c);
	if (!ok)
		return dd_err_set(e, DD_EINTERNAL, "SHA-1 is not available");
	d[6] = (uint8_t)((d[6] & 0x0f) | 0x50);
	d[8] = (uint8_t)((d[8] & 0x3f) | 0x80);
	hex_encode(d, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
	    hex + 16, hex + 20);
	return 0;
}

static int
sbom_load(struct store *s, int64_t image_id, struct sbom_model *m,
    struct dd_err *e)
{
	char head[SHA256_HEX], idtxt[24], *cid;
	const char *b[1] = { idtxt };
	struct sbom_set refs, ids;
	size_t i;
	int rc;

	arena_init(&m->a);
	m->image_id = image_id;
	snprintf(idtxt, sizeof(idtxt), "%" PRId64, image_id);
	if ((rc = rowq_each(s,
		 "SELECT ref, config_digest, manifest_digest, tags, os, arch, "
		 "variant, created FROM images WHERE id = CAST(?1 AS INTEGER)",
		 b, 1, sbom_image_row, m, e)) < 0)
		return rc;
	if (!m->found)
		return dd_err_set(e, DD_ENOTFOUND,
		    "no image with id %" PRId64 " in the case (list them: "
		    "drydock query CASE 'SELECT id, ref FROM images')",
		    image_id);
	if ((rc = rowq_each(s,
		 "SELECT p.name, p.version, p.ecosystem, p.purl, p.source, "
		 "p.arch, p.license, p.path, l.diff_id, (SELECT il.created_by "
		 "FROM image_layers il WHERE il.image_id = p.image_id AND "
		 "il.layer_id = p.layer_id ORDER BY il.idx LIMIT 1) "
		 "FROM packages p LEFT JOIN layers l ON l.id = p.layer_id "
		 "WHERE p.image_id = CAST(?1 AS INTEGER) ORDER BY p.purl, "
		 "p.name, p.version, p.ecosystem, p.path, p.layer_id, p.arch, "
		 "p.source, p.license",
		 b, 1, sbom_pkg_row, m, e)) < 0)
		return rc;
	cid = store_meta_get(s, "case_id");
	m->case_id = arena_strdup(&m->a, cid ? cid : "");
	free(cid);
	if ((rc = custody_head(s, head, NULL, e)) < 0)
		return rc;
	m->head = arena_strdup(&m->a, head);
	m->name = m->ref != NULL && m->ref[0] != '\0' ? m->ref :
							 m->config_digest;
	if ((rc = sbom_uuid5(arena_printf(&m->a,
				 "https://drydock.invalid/sbom/%s/%s/%" PRId64,
				 m->config_digest, m->head, image_id),
		 m->uuid, e)) < 0)
		return rc;

	/* Unique references, in the sorted order. */
	refs.cap = ids.cap = 16;
	while (refs.cap < 4 * (m->npkgs + 1))
		refs.cap *= 2;
	ids.cap = refs.cap;
	refs.v = arena_zalloc(&m->a, refs.cap * sizeof(*refs.v));
	ids.v = arena_zalloc(&m->a, ids.cap * sizeof(*ids.v));
	m->image_ref = arena_printf(&m->a, "image:%s", m->config_digest);
	sbom_set_add(&refs, m->image_ref);
	sbom_set_add(&ids, "SPDXRef-DOCUMENT");
	sbom_set_add(&ids, "SPDXRef-Image");
	for (i = 0; i < m->npkgs; i++) {
		struct sbom_pkg *p = &m->pkgs[i];
		struct sbuf c = SBUF_INIT;
		const char *base = p->purl ? p->purl :
			arena_printf(&m->a, "package:%s/%s@%s",
			    p->ecosystem ? p->ecosystem : "", p->name,
			    p->version);

		p->ref = sbom_unique(m, &refs, base, "#");
		p->spdxid = sbom_unique(m, &ids, sbom_spdxid_base(m, p), "-");
		p->lic = sbom_license_check(p->license, &c);
		if (p->lic != SBOM_LIC_NONE)
			p->lic_canon = arena_strdup(&m->a, c.buf);
		sbuf_release(&c);
	}
	return 0;
}

static void
sbom_model_release(struct sbom_model *m)
{
	free(m->pkgs);
	arena_release(&m->a);
}

/* ---- JSON helpers ---- */

/* A JSON string of evidence text: as is when valid UTF-8, else with each
 * bad byte shown as \xNN. */
static json_t *
sbom_str(const char *s)
{
	struct sbuf d = SBUF_INIT;
	json_t *j;

	if (s == NULL)
		s = "";
	if (utf8_valid(s, strlen(s)))
		return json_string(s);
	esc_display(&d, s, strlen(s));
	j = json_string(d.buf);
	sbuf_release(&d);
	return j;
}

/* "YYYY-MM-DDThh:mm:ssZ" (whole seconds, as SPDX requires). */
static void
sbom_time(int64_t ns, char out[40])
{
	time_fmt_ns(ns, out);
	if (strlen(out) == 30 && out[19] == '.') {
		out[19] = 'Z';
		out[20] = '\0';
	}
}

/* The hex of a "sha256:HEX" digest, or NULL. */
static const char *
sbom_sha256_hex(const char *digest)
{
	size_t i;

	if (digest == NULL || strncmp(digest, "sha256:", 7) != 0 ||
	    strlen(digest) != 7 + 64)
		return NULL;
	for (i = 7; i < 7 + 64; i++)
		if (hex_digit((unsigned char)digest[i]) < 0 ||
		    (digest[i] >= 'A' && digest[i] <= 'F'))
			return NULL;
	return digest + 7;
}

/* Append {name, value} to a CycloneDX properties array when value is set. */
static void
sbom_prop(json_t *props, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	json_array_append_new(props,
	    json_pack("{s:s, s:o}", "name", name, "value", sbom_str(value)));
}

/* ---- CycloneDX 1.5 ---- */

static json_t *
sbom_cdx_image(struct sbom_model *m)
{
	json_t *c = json_object(), *props = json_array(), *tags;
	const char *hex = sbom_sha256_hex(m->config_digest);
	char t[40];
	size_t i;

	json_object_set_new(c, "bom-ref", sbom_str(m->image_ref));
	json_object_set_new(c, "type", json_string("container"));
	json_object_set_new(c, "name", sbom_str(m->name));
	json_object_set_new(c, "version", sbom_str(m->config_digest));
	if (hex != NULL)
		json_object_set_new(c, "hashes",
		    json_pack("[{s:s, s:s}]", "alg", "SHA-256", "content",
			hex));
	sbom_prop(props, "drydock:image_id",
	    arena_printf(&m->a, "%" PRId64, m->image_id));
	sbom_prop(props, "drydock:config_digest", m->config_digest);
	sbom_prop(props, "drydock:manifest_digest", m->manifest_digest);
	tags = m->tags ? json_loads(m->tags, 0, NULL) : NULL;
	for (i = 0; json_is_array(tags) && i < json_array_size(tags); i++)
		if (json_is_string(json_array_get(tags, i)))
			sbom_prop(props, "drydock:tag",
			    json_string_value(json_array_get(tags, i)));
	json_decref(tags);
	sbom_prop(props, "drydock:os", m->os);
	sbom_prop(props, "drydock:arch", m->arch);
	sbom_prop(props, "drydock:variant", m->variant);
	if (m->has_created) {
		time_fmt_ns(m->created, t);
		sbom_prop(props, "drydock:created", t);
	}
	json_object_set_new(c, "properties", props);
	return c;
}

static json_t *
sbom_cdx_pkg(const struct sbom_pkg *p)
{
	json_t *c = json_object(), *props = json_array();

	json_object_set_new(c, "bom-ref", sbom_str(p->ref));
	json_object_set_new(c, "type", json_string("library"));
	json_object_set_new(c, "name", sbom_str(p->name));
	json_object_set_new(c, "version", sbom_str(p->version));
	if (p->lic == SBOM_LIC_ID)
		json_object_set_new(c, "licenses",
		    json_pack("[{s:{s:s}}]", "license", "id", p->lic_canon));
	else if (p->lic == SBOM_LIC_EXPR)
		json_object_set_new(c, "licenses",
		    json_pack("[{s:s}]", "expression", p->lic_canon));
	else if (p->license != NULL && p->license[0] != '\0')
		json_object_set_new(c, "licenses",
		    json_pack("[{s:{s:o}}]", "license", "name",
			sbom_str(p->license)));
	if (p->purl != NULL)
		json_object_set_new(c, "purl", sbom_str(p->purl));
	sbom_prop(props, "drydock:ecosystem", p->ecosystem);
	sbom_prop(props, "drydock:package_db", p->path);
	sbom_prop(props, "drydock:layer_diff_id", p->diff_id);
	sbom_prop(props, "drydock:created_by", p->created_by);
	sbom_prop(props, "drydock:source_package", p->source);
	sbom_prop(props, "drydock:arch", p->arch);
	json_object_set_new(c, "properties", props);
	return c;
}

static json_t *
sbom_cdx(struct sbom_model *m, int64_t now_ns)
{
	json_t *root = json_object(), *meta = json_object(),
	       *comps = json_array(), *deps = json_array(),
	       *on = json_array(), *props = json_array();
	char t[40];
	size_t i;

	json_object_set_new(root, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(root, "specVersion", json_string("1.5"));
	json_object_set_new(root, "serialNumber",
	    json_string(arena_printf(&m->a, "urn:uuid:%s", m->uuid)));
	json_object_set_new(root, "version", json_integer(1));
	sbom_time(now_ns, t);
	json_object_set_new(meta, "timestamp", json_string(t));
	json_object_set_new(meta, "tools",
	    json_pack("{s:[{s:s, s:s, s:s}]}", "components", "type",
		"application", "name", "drydock", "version", DD_VERSION));
	json_object_set_new(meta, "component", sbom_cdx_image(m));
	sbom_prop(props, "drydock:case_id", m->case_id);
	sbom_prop(props, "drydock:custody_head", m->head);
	json_object_set_new(meta, "properties", props);
	json_object_set_new(root, "metadata", meta);
	for (i = 0; i < m->npkgs; i++) {
		json_array_append_new(comps, sbom_cdx_pkg(&m->pkgs[i]));
		json_array_append_new(on, sbom_str(m->pkgs[i].ref));
	}
	json_object_set_new(root, "components", comps);
	json_array_append_new(deps,
	    json_pack("{s:o, s:o}", "ref", sbom_str(m->image_ref), "dependsOn",
		on));
	json_object_set_new(root, "dependencies", deps);
	return root;
}

/* ---- SPDX 2.3 ---- */

static json_t *
sbom_spdx_rel(const char *a, const char *type, const char *b)
{
	return json_pack("{s:s, s:s, s:s}", "spdxElementId", a,
	    "relationshipType", type, "relatedSpdxElement", b);
}

static json_t *
sbom_spdx_image(struct sbom_model *m)
{
	json_t *p = json_object();
	const char *hex = sbom_sha256_hex(m->config_digest);
	struct sbuf c = SBUF_INIT;

	json_object_set_new(p, "SPDXID", json_string("SPDXRef-Image"));
	json_object_set_new(p, "name", sbom_str(m->name));
	json_object_set_new(p, "versionInfo", sbom_str(m->config_digest));
	json_object_set_new(p, "supplier", json_string("NOASSERTION"));
	json_object_set_new(p, "downloadLocation", json_string("NOASSERTION"));
	json_object_set_new(p, "filesAnalyzed", json_false());
	if (hex != NULL)
		json_object_set_new(p, "checksums",
		    json_pack("[{s:s, s:s}]", "algorithm", "SHA256",
			"checksumValue", hex));
	json_object_set_new(p, "licenseConcluded", json_string("NOASSERTION"));
	json_object_set_new(p, "licenseDeclared", json_string("NOASSERTION"));
	json_object_set_new(p, "copyrightText", json_string("NOASSERTION"));
	json_object_set_new(p, "primaryPackagePurpose",
	    json_string("CONTAINER"));
	sbuf_addf(&c, "drydock image %" PRId64 ", config %s", m->image_id,
	    m->config_digest);
	if (m->manifest_digest)
		sbuf_addf(&c, ", manifest %s", m->manifest_digest);
	if (m->os || m->arch)
		sbuf_addf(&c, ", platform %s/%s%s%s", m->os ? m->os : "",
		    m->arch ? m->arch : "", m->variant ? "/" : "",
		    m->variant ? m->variant : "");
	json_object_set_new(p, "comment", sbom_str(c.buf));
	sbuf_release(&c);
	return p;
}

static json_t *
sbom_spdx_pkg(const struct sbom_pkg *k)
{
	json_t *p = json_object();
	struct sbuf c = SBUF_INIT;

	json_object_set_new(p, "SPDXID", json_string(k->spdxid));
	json_object_set_new(p, "name", sbom_str(k->name));
	json_object_set_new(p, "versionInfo", sbom_str(k->version));
	json_object_set_new(p, "supplier", json_string("NOASSERTION"));
	json_object_set_new(p, "downloadLocation", json_string("NOASSERTION"));
	json_object_set_new(p, "filesAnalyzed", json_false());
	json_object_set_new(p, "licenseConcluded", json_string("NOASSERTION"));
	json_object_set_new(p, "licenseDeclared",
	    json_string(k->lic != SBOM_LIC_NONE ? k->lic_canon :
						  "NOASSERTION"));
	json_object_set_new(p, "copyrightText", json_string("NOASSERTION"));
	if (k->purl != NULL)
		json_object_set_new(p, "externalRefs",
		    json_pack("[{s:s, s:s, s:o}]", "referenceCategory",
			"PACKAGE-MANAGER", "referenceType", "purl",
			"referenceLocator", sbom_str(k->purl)));
	if (k->source != NULL && strcmp(k->source, k->name) != 0)
		sbuf_addf(&c, "source package %s; ", k->source);
	sbuf_addf(&c, "%s package in %s", k->ecosystem ? k->ecosystem : "",
	    k->path ? k->path : "");
	if (k->diff_id != NULL)
		sbuf_addf(&c, "; first in layer %s", k->diff_id);
	if (k->created_by != NULL)
		sbuf_addf(&c, "; step: %s", k->created_by);
	if (k->license != NULL && k->license[0] != '\0' &&
	    k->lic == SBOM_LIC_NONE)
		json_object_set_new(p, "licenseComments",
		    sbom_str(k->license));
	json_object_set_new(p, "comment", sbom_str(c.buf));
	sbuf_release(&c);
	return p;
}

static json_t *
sbom_spdx(struct sbom_model *m, int64_t now_ns)
{
	json_t *root = json_object(), *pk = json_array(), *rel = json_array();
	char t[40];
	size_t i;

	json_object_set_new(root, "spdxVersion", json_string("SPDX-2.3"));
	json_object_set_new(root, "dataLicense", json_string("CC0-1.0"));
	json_object_set_new(root, "SPDXID", json_string("SPDXRef-DOCUMENT"));
	json_object_set_new(root, "name", sbom_str(m->name));
	json_object_set_new(root, "documentNamespace",
	    sbom_str(arena_printf(&m->a, "https://drydock.invalid/spdx/%s-%s",
		m->config_digest, m->uuid)));
	sbom_time(now_ns, t);
	json_object_set_new(root, "creationInfo",
	    json_pack("{s:s, s:[s], s:o}", "created", t, "creators",
		"Tool: drydock-" DD_VERSION, "comment",
		sbom_str(arena_printf(&m->a,
		    "drydock case %s, custody head %s, image %" PRId64,
		    m->case_id, m->head, m->image_id))));
	json_array_append_new(pk, sbom_spdx_image(m));
	json_array_append_new(rel,
	    sbom_spdx_rel("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"));
	for (i = 0; i < m->npkgs; i++) {
		json_array_append_new(pk, sbom_spdx_pkg(&m->pkgs[i]));
		json_array_append_new(rel,
		    sbom_spdx_rel("SPDXRef-Image", "CONTAINS",
			m->pkgs[i].spdxid));
	}
	json_object_set_new(root, "packages", pk);
	json_object_set_new(root, "relationships", rel);
	return root;
}

/* ---- entry points ---- */

int
sbom_format_parse(const char *name)
{
	if (strcmp(name, "cyclonedx") == 0 || strcmp(name, "cdx") == 0 ||
	    strcmp(name, "cyclonedx-json") == 0)
		return SBOM_CYCLONEDX;
	if (strcmp(name, "spdx") == 0 || strcmp(name, "spdx-json") == 0)
		return SBOM_SPDX;
	return -1;
}

int
sbom_render(struct store *s, int64_t image_id, int format, int64_t now_ns,
    char **out, size_t *len, size_t *npackages, struct dd_err *e)
{
	struct sbom_model m;
	json_t *root = NULL;
	char *txt = NULL;
	int rc;

	*out = NULL;
	*len = 0;
	memset(&m, 0, sizeof(m));
	if ((rc = sbom_load(s, image_id, &m, e)) < 0)
		goto done;
	root = format == SBOM_SPDX ? sbom_spdx(&m, now_ns) :
				     sbom_cdx(&m, now_ns);
	/* ASCII only: whatever the evidence holds, the document is safe on
	 * a terminal and the same bytes in every locale. */
	txt = json_dumps(root,
	    JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (txt == NULL) {
		rc = dd_err_set(e, DD_EINTERNAL, "cannot encode the SBOM");
		goto done;
	}
	*len = strlen(txt);
	*out = xmalloc(*len + 2);
	memcpy(*out, txt, *len);
	(*out)[(*len)++] = '\n';
	(*out)[*len] = '\0';
	if (npackages != NULL)
		*npackages = m.npkgs;
done:
	free(txt);
	json_decref(root);
	sbom_model_release(&m);
	return rc;
}
