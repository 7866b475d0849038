/*
 * A current process for file-syscall tests: an address space with a user buffer,
 * an fd table, handlers and a cwd at the root. Handlers are called directly.
 */
#ifndef CLEAVE_TEST_FS_HARNESS_H
#define CLEAVE_TEST_FS_HARNESS_H

#include "harness.h"
#include "fs/fs_internal.h"
#include "fs/fs_syscalls.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"

#define UBUF ((vaddr_t)0x200000)              /* 48 KiB of user data, RW */
#define UBUF_SIZE ((size_t)48 << 10)
#define USTR (UBUF + UBUF_SIZE)               /* 16 KiB for strings (ustr) */
#define USTR_SIZE ((size_t)16 << 10)
#define URO (USTR + USTR_SIZE + PAGE_SIZE)    /* one read-only page after a hole */
#define UHOLE (USTR + USTR_SIZE)              /* unmapped */
#define UBAD ((vaddr_t)0x10)                  /* unmapped, low */

/* The current task of the test and its process. */
extern struct task *fs_task;
extern struct proc *fs_proc;

/* CMocka setup/teardown: machine, process, empty tree (everything freed after). */
int fs_setup(void **state);
int fs_teardown(void **state);

/* Call a handler with up to six arguments. */
#define SC(fn, ...) fn(&(struct syscall_args){ { __VA_ARGS__ } })

/* Copy s (with its NUL) into the user string area; returns its user address. */
vaddr_t ustr(const char *s);
/* Store n bytes at user va / load them, asserting success. */
void uput(vaddr_t va, const void *src, size_t n);
void uget(vaddr_t va, void *dst, size_t n);
/* openat(AT_FDCWD, path, flags, mode) for the current task. */
long fs_open(const char *path, unsigned flags, unsigned mode);
/* Write s to fd through the user buffer; returns the handler's result. */
long wr(long fd, const char *s);
/* Read up to n bytes of fd into out (NUL-terminated); returns the handler's result. */
long rd(long fd, char *out, size_t n);
/* Wake the current task if a handler blocked it. */
void fs_unblock(void);
/* Capture what hal_console_write prints while enabled (the hosted console writes
 * to stderr): start, then stop into buf (NUL-terminated); returns the length. */
void console_capture_start(void);
size_t console_capture_stop(char *buf, size_t size);

#endif
