-- AlterTable
ALTER TABLE "Forum" ADD COLUMN "archivedAt" DATETIME;

-- AlterTable
ALTER TABLE "Board" ADD COLUMN "archivedAt" DATETIME;

-- CreateTable
CREATE TABLE "BoardModerator" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "boardId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "assignedById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BoardModerator_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Board" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BoardModerator_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "BoardModerator_userId_idx" ON "BoardModerator"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "BoardModerator_boardId_userId_key" ON "BoardModerator"("boardId", "userId");

