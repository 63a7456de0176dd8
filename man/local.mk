# man/local.mk - the manual pages of the library-wide formats and ra.
dist_man_MANS += man/ra.1 man/rarc.5 man/argus-record.5
