/*
 * GET /assets/{file}, /assets/images/{file}: the NHS.UK frontend's
 * files from assets/vendor/, served from memory.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "medex.h"
#include "assets.h"
#include "handlers.h"
#include "respond.h"

#define ASSETS_MAX	64
#define ASSET_SIZE_MAX	(1024 * 1024)

struct asset {
	char		 name[sizeof(((struct route_captures *)0)->value[0]) + 8];
	char		*data;
	size_t		 len;
	const char	*type;
};

static struct asset	assets[ASSETS_MAX];
static size_t		assets_n;

/*
 * Static files: every file of assets/vendor/ (and its images/) with a
 * known type is read once, in the parent, so that workers serve from
 * memory and never open a path that a request named.
 */
static const char *
asset_type(const char *name)
{
	static const char *const types[][2] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
	};
	const char	*dot;
	size_t		 i;

	if ((dot = strrchr(name, '.')) == NULL)
		return (NULL);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(dot, types[i][0]) == 0)
			return (types[i][1]);
	}
	return (NULL);
}

static void
assets_load_dir(const char *dir, const char *prefix)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	struct asset	*a;
	char		 path[1024];
	const char	*type;
	ssize_t		 r;
	int		 fd;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && assets_n < ASSETS_MAX) {
		/* Longer names could never be asked for (route_match.h). */
		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) >= ROUTE_CAPTURE_LEN ||
		    (type = asset_type(de->d_name)) == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1)
			continue;
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
		    st.st_size <= 0 || st.st_size > ASSET_SIZE_MAX) {
			close(fd);
			continue;
		}
		a = &assets[assets_n];
		if ((size_t)snprintf(a->name, sizeof(a->name), "%s%.*s", prefix,
		    ROUTE_CAPTURE_LEN - 1, de->d_name) >= sizeof(a->name)) {
			close(fd);
			continue;
		}
		a->type = type;
		a->len = (size_t)st.st_size;
		a->data = kore_malloc(a->len);
		r = read(fd, a->data, a->len);
		close(fd);
		if (r != (ssize_t)a->len) {
			kore_free(a->data);
			continue;
		}
		assets_n++;
	}
	closedir(d);
}

void
pages_assets_load(const char *dir)
{
	char	images[1024];

	if (dir == NULL) {
		kore_log(LOG_NOTICE, "medex: no assets_dir; pages unstyled");
		return;
	}
	assets_load_dir(dir, "");
	snprintf(images, sizeof(images), "%s/images", dir);
	assets_load_dir(images, "images/");
	if (assets_n == 0)
		kore_log(LOG_NOTICE, "medex: no assets in %s (make builds "
		    "them)", dir);
}

int
pages_asset(struct http_request *req, struct medex_req *mr)
{
	char	name[sizeof(mr->cap.value[0]) + 8];
	size_t	i;

	snprintf(name, sizeof(name), "%s%s",
	    mr->route->id == R_ASSET_IMAGE ? "images/" : "", mr->cap.value[0]);
	for (i = 0; i < assets_n; i++) {
		if (strcmp(assets[i].name, name) != 0)
			continue;
		mr->cache_control = "public, max-age=300";
		return (medex_respond(req, mr, 200, assets[i].type,
		    assets[i].data, assets[i].len));
	}
	return (pages_error(req, mr, 404, NULL));
}
