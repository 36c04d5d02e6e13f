-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "changesDataUse" BOOLEAN NOT NULL DEFAULT false,
    "publishedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedById" INTEGER,
    "noticeCursor" INTEGER NOT NULL DEFAULT 0,
    "noticesQueuedAt" DATETIME
);

-- CreateTable
CREATE TABLE "PolicyDraft" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "body" TEXT NOT NULL,
    "updatedById" INTEGER,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PolicyConsent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "choice" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PolicyConsent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PolicySeen" (
    "userId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL,
    "seenAt" DATETIME NOT NULL,
    CONSTRAINT "PolicySeen_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PolicyNotice" (
    "userId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "queuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("version", "userId"),
    CONSTRAINT "PolicyNotice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "PolicyVersion_number_key" ON "PolicyVersion"("number");

-- CreateIndex
CREATE INDEX "PolicyConsent_userId_version_createdAt_idx" ON "PolicyConsent"("userId", "version", "createdAt");

