-- AlterTable
ALTER TABLE "User" ADD COLUMN "silencedUntil" DATETIME;
ALTER TABLE "User" ADD COLUMN "suspendedUntil" DATETIME;

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "text" TEXT;

-- AlterTable
ALTER TABLE "Report" ADD COLUMN "resolvedAt" DATETIME;
ALTER TABLE "Report" ADD COLUMN "resolvedById" INTEGER;
ALTER TABLE "Report" ADD COLUMN "rule" TEXT;

-- CreateTable
CREATE TABLE "ModerationClaim" (
    "itemKey" TEXT NOT NULL PRIMARY KEY,
    "moderatorId" INTEGER NOT NULL,
    "claimedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "StaffNote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "authorId" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Appeal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "postId" INTEGER NOT NULL,
    "authorId" INTEGER NOT NULL,
    "hideAuditId" INTEGER NOT NULL,
    "hiddenById" INTEGER,
    "text" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "decidedById" INTEGER,
    "decidedAt" DATETIME,
    "decisionReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "StaffNote_userId_createdAt_idx" ON "StaffNote"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Appeal_state_createdAt_idx" ON "Appeal"("state", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Appeal_postId_hideAuditId_key" ON "Appeal"("postId", "hideAuditId");

