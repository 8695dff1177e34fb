/*
 * The static files of the pages (pages/assets.c).
 */
#ifndef MEDEX_ASSETS_H
#define MEDEX_ASSETS_H

/* Loads assets/vendor/ into memory, in the parent before the fork. */
void	pages_assets_load(const char *);

#endif
