/* Intrusive circular doubly-linked lists (the Linux list_head pattern). */
#ifndef CLEAVE_LIST_H
#define CLEAVE_LIST_H

#include "types.h"

struct list {
	struct list *next, *prev;
};

#define LIST_INIT(name) { &(name), &(name) }

/* Make head an empty list. */
static inline void list_init(struct list *head)
{
	head->next = head->prev = head;
}

/* True when head has no elements. */
static inline bool list_empty(const struct list *head)
{
	return head->next == head;
}

/* Insert node between prev and next. */
static inline void list_insert_between(struct list *node, struct list *prev, struct list *next)
{
	node->prev = prev;
	node->next = next;
	prev->next = node;
	next->prev = node;
}

/* Insert node right after pos. */
static inline void list_insert_after(struct list *pos, struct list *node)
{
	list_insert_between(node, pos, pos->next);
}

/* Insert node right before pos (at the tail when pos is the head). */
static inline void list_insert_before(struct list *pos, struct list *node)
{
	list_insert_between(node, pos->prev, pos);
}

/* Unlink node from its list and make it self-linked. */
static inline void list_remove(struct list *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	list_init(node);
}

#define list_entry(node, type, member) container_of(node, type, member)
#define list_first(head, type, member) list_entry((head)->next, type, member)
#define list_next_entry(e, member) list_entry((e)->member.next, __typeof__(*(e)), member)
#define list_prev_entry(e, member) list_entry((e)->member.prev, __typeof__(*(e)), member)

/* Iterate over entries; e must not be removed inside the loop. */
#define list_for_each(e, head, member)                                             \
	for (e = list_entry((head)->next, __typeof__(*e), member); &e->member != (head); \
	     e = list_next_entry(e, member))

/* Iterate over entries; e may be removed inside the loop. */
#define list_for_each_safe(e, tmp, head, member)                                    \
	for (e = list_entry((head)->next, __typeof__(*e), member),                  \
	    tmp = list_next_entry(e, member);                                       \
	     &e->member != (head); e = tmp, tmp = list_next_entry(tmp, member))

#endif
