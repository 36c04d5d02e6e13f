-- CreateTable
CREATE TABLE "TrafficSectionDay" (
    "day" TEXT NOT NULL,
    "section" TEXT NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("day", "section")
);

-- CreateTable
CREATE TABLE "TrafficVisitorDay" (
    "day" TEXT NOT NULL PRIMARY KEY,
    "visitors" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "TrafficPageDay" (
    "day" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("day", "path")
);

-- CreateTable
CREATE TABLE "TrafficReferrerDay" (
    "day" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("day", "host")
);

