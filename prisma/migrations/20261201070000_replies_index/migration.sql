-- DropIndex
DROP INDEX "MailMessage_listId_parentMessageId_idx";

-- CreateIndex
CREATE INDEX "MailMessage_listId_parentMessageId_date_idx" ON "MailMessage"("listId", "parentMessageId", "date");

