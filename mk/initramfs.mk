# Initramfs images, one per architecture: a cpio "newc" archive of the userspace tree
# $(BUILD)/userspace-<arch>/ plus, when ROOTFS_EXTRA=dir is given, that directory's
# files on top (they win on a name clash). Modes (and symlinks) are kept; owners are
# recorded as root. Included from the top-level Makefile.
#   make $(BUILD)/initramfs-x86_64.cpio [ROOTFS_EXTRA=dir]
#   make initramfs-aarch64
# The archive is rebuilt on every use (the tree's target is phony), which takes well
# under a second, so ROOTFS_EXTRA changes are always picked up.

INITRAMFS_ARCHS := x86_64 aarch64
ROOTFS_EXTRA ?=

# $(1)=arch: stage the tree (+ ROOTFS_EXTRA) under $(BUILD)/rootfs-$(1), then pack it
# from a sorted file list with names relative to the root ("init", "bin/sh"...).
define initramfs_arch
$(BUILD)/initramfs-$(1).cpio: userspace-$(1)
	$(Q)rm -rf $(BUILD)/rootfs-$(1)
	$(Q)mkdir -p $(BUILD)/rootfs-$(1)
	$(Q)cp -a $(BUILD)/userspace-$(1)/. $(BUILD)/rootfs-$(1)/
	$(Q)mkdir -p -m 1777 $(BUILD)/rootfs-$(1)/tmp
	$(Q)$(if $(ROOTFS_EXTRA),test -d "$(ROOTFS_EXTRA)" || \
		{ echo "ROOTFS_EXTRA=$(ROOTFS_EXTRA) is not a directory" >&2; exit 1; }; \
		cp -a "$(ROOTFS_EXTRA)"/. $(BUILD)/rootfs-$(1)/,:)
	$(Q)cd $(BUILD)/rootfs-$(1) && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort | \
		cpio -o -H newc -R 0:0 --quiet > $$(abspath $$@).tmp
	$(Q)mv $$@.tmp $$@
initramfs-$(1): $(BUILD)/initramfs-$(1).cpio
.PHONY: initramfs-$(1)
endef

$(foreach a,$(INITRAMFS_ARCHS),$(eval $(call initramfs_arch,$(a))))
