/*
 * The step that moves recorded views of cases into their hash chains
 * (view_chain.c, sql/case_views.sql).
 */
#ifndef MEDEX_VIEW_CHAIN_H
#define MEDEX_VIEW_CHAIN_H

/* Starts the timer, in the first worker only; the others do nothing. */
void	view_chain_start(void);

#endif
