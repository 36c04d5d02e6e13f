-- AlterTable
ALTER TABLE "Topic" ADD COLUMN "heldAt" DATETIME;

-- CreateTable
CREATE TABLE "AntispamSettings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "holdLinksBelow" INTEGER NOT NULL,
    "holdAllBelow" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" INTEGER
);

-- CreateTable
CREATE TABLE "WatchedWord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pattern" TEXT NOT NULL,
    "isRegex" BOOLEAN NOT NULL DEFAULT false,
    "action" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" INTEGER
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Post" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "topicId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "authorId" INTEGER NOT NULL,
    "raw" TEXT NOT NULL,
    "cooked" TEXT NOT NULL,
    "replyToNumber" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "editedAt" DATETIME,
    "editCount" INTEGER NOT NULL DEFAULT 0,
    "deletedAt" DATETIME,
    "hiddenAt" DATETIME,
    "hiddenById" INTEGER,
    "hiddenReason" TEXT,
    "submissionId" TEXT,
    "heldAt" DATETIME,
    "heldReason" TEXT,
    "heldOnEdit" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Post_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Post" ("authorId", "cooked", "createdAt", "deletedAt", "editCount", "editedAt", "hiddenAt", "hiddenById", "hiddenReason", "id", "number", "raw", "replyToNumber", "submissionId", "topicId", "updatedAt") SELECT "authorId", "cooked", "createdAt", "deletedAt", "editCount", "editedAt", "hiddenAt", "hiddenById", "hiddenReason", "id", "number", "raw", "replyToNumber", "submissionId", "topicId", "updatedAt" FROM "Post";
DROP TABLE "Post";
ALTER TABLE "new_Post" RENAME TO "Post";
CREATE INDEX "Post_authorId_createdAt_idx" ON "Post"("authorId", "createdAt");
CREATE INDEX "Post_heldAt_idx" ON "Post"("heldAt");
CREATE UNIQUE INDEX "Post_topicId_number_key" ON "Post"("topicId", "number");
CREATE UNIQUE INDEX "Post_authorId_submissionId_key" ON "Post"("authorId", "submissionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "WatchedWord_pattern_isRegex_key" ON "WatchedWord"("pattern", "isRegex");

